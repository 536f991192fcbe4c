-- A tax code is an organisation's public number: anyone can type another's. It is unique among
-- adhesions someone has confirmed from their mailbox, so an unconfirmed one filed by a stranger
-- neither blocks the organisation itself nor tells the stranger that it adheres.
DROP INDEX adhesions_live_tax_code;
CREATE UNIQUE INDEX adhesions_live_tax_code ON adhesions (pact_id, tax_code)
    WHERE tax_code IS NOT NULL AND status IN ('pending', 'approved');
