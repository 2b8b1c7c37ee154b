"""The steps of a visit, the reasons a visit ends, and the small closed sets the parts share."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """One screen of the visit; the value is the screen (and module) name."""

    WELCOME = "welcome"
    PROCEDURE = "procedure"
    PLACE_CARD = "place_card"
    LAST_TRY = "last_try"
    PIN = "pin"
    BLOCKED = "blocked"
    READING = "reading"
    CONFIRM_DATA = "confirm_data"
    ADDRESS = "address"
    TEXT_ENTRY = "text_entry"
    HOUSEHOLD = "household"
    MEMBER_DETAILS = "member_details"
    RELATIONSHIP = "relationship"
    FILER = "filer"
    ORIGIN = "origin"
    CHANGE_KIND = "change_kind"
    PREVIOUS_HEAD = "previous_head"
    RELATED = "related"
    REVIEW = "review"
    SIGN_PIN = "sign_pin"
    SIGN_LAST_TRY = "sign_last_try"
    MOVE_OUT_ROUTE = "move_out_route"
    DATE_ENTRY = "date_entry"
    NATIONALITY = "nationality"
    HONSEKI = "honseki"
    FOREIGN = "foreign"
    CARD_REQUEST = "card_request"  # card procedures: the seal question, or why not possible
    CARD_REVIEW = "card_review"  # card procedures: the request before the card signs it
    MOVE_ABROAD = "move_abroad"
    PRINTING = "printing"
    PRINT_PROBLEM = "print_problem"
    DONE = "done"
    OUT_OF_SERVICE = "out_of_service"
    MAINTENANCE = "maintenance"
    #: the stand's self-check, from the staff menu (the checks of ``kiosk.tech diagnose``)
    DIAGNOSE = "diagnose"
    #: the card left the reader where the visit needs it: a countdown before the wipe
    CARD_REMOVED = "card_removed"


class Phase(StrEnum):
    """A stage of the visit the step indicator counts ("ステップ 3 / 6")."""

    CARD = "card"
    PLACE = "place"  # the new address, the destination, the moving dates
    HOUSEHOLD = "household"
    NEWCOMER = "newcomer"  # 転入: nationality, 本籍, 30条45 items
    REVIEW = "review"
    PAPER = "paper"  # the card's signature, printing, done


class EndReason(StrEnum):
    """Why a visit ended (logged; never with personal data)."""

    FINISHED = "finished"
    CANCELLED = "cancelled"
    IDLE = "idle"
    CARD_REMOVED = "card_removed"
    OUT_OF_SERVICE = "out_of_service"
    #: an error nothing in the app handled (kiosk.app_faults)
    FAULT = "fault"


class TextPurpose(StrEnum):
    """What the on-screen keyboard is collecting."""

    KATAGAKI = "katagaki"
    DESTINATION = "destination"
    MEMBER_NAME = "member_name"
    MEMBER_FURIGANA = "member_furigana"
    EXISTING_HEAD = "existing_head"
    FILER_NAME = "filer_name"
    FILER_FURIGANA = "filer_furigana"
    FILER_ADDRESS = "filer_address"
    FILER_PHONE = "filer_phone"
    REMAINING_HEAD = "remaining_head"
    PREVIOUS_HEAD = "previous_head"
    STAFF_PIN = "staff_pin"
    HONSEKI = "honseki"
    HONSEKI_REST = "honseki_rest"  # after the prefecture and the city picked
    HONSEKI_FREE = "honseki_free"  # not in the list / outside Japan: all of it typed
    HEAD_OF_REGISTER = "head_of_register"
    NATIONALITY = "nationality"
    RESIDENCE_CARD = "residence_card"
    RESIDENCE_STATUS = "residence_status"
    ALIAS = "alias"
    COUNTRY = "country"


class CardNotice(StrEnum):
    """What the place-card screen tells the resident after a failed attempt."""

    NONE = ""
    NOT_MY_NUMBER = "not_my_number"
    READ_FAILED = "read_failed"
    WRONG_PIN = "wrong_pin"
    SAME_CARD = "same_card"


class SignNotice(StrEnum):
    """What the card-signature PIN screen tells the resident."""

    NONE = ""
    CHECKING = "checking"
    NO_CARD = "no_card"
    OTHER_CARD = "other_card"
    WRONG_PIN = "wrong_pin"
    LOCKED = "locked"
    FAILED = "failed"


class CounterReason(StrEnum):
    """Why the resident is sent to the counter (the blocked screen's wording)."""

    PIN_LOCKED = "blocked"
    DATA_WRONG = "data"


class EditTarget(StrEnum):
    """A part of the filing the review can jump back to (then returns to the review)."""

    ADDRESS = "address"
    KATAGAKI = "katagaki"
    HOUSEHOLD = "household"
    RELATED = "related"
    MOVE_OUT_ROUTE = "move_out_route"
    NEWCOMER = "newcomer"
    FILER = "filer"
    CHANGE_KIND = "change_kind"
    DESTINATION = "destination"
