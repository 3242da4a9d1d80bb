-- An administrator who resets a profile's passphrase knows it. Until the profile's owner chooses a new one, the
-- profile may sign in and work but may not sign (approve, verify, accept): a signature must be the signer's alone.
ALTER TABLE users ADD COLUMN passphrase_reset_by_admin INTEGER NOT NULL DEFAULT 0 CHECK (passphrase_reset_by_admin IN (0, 1));
