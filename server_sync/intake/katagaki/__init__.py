"""方書 flowing back into the ward's master (issue 13).

Accepted filings whose 方書 was typed as free text (``katagaki_listed`` false, structured address)
are candidates (:mod:`.candidates`); a clerk confirms (or corrects) or dismisses each
(:mod:`.decisions`); every publish of a master set adds the confirmed entries to its
``address_master.sqlite`` (:mod:`.merge`), so kiosks that pull it offer them as listed 方書.
"""
