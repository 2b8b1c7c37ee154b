-- Named staff with roles (clerk | supervisor | admin). Accounts made before roles existed could
-- do everything, so they become admins; every account made from now on names its role.
ALTER TABLE staff ADD COLUMN role VARCHAR(16) NOT NULL DEFAULT 'admin';
