-- Opt-outs are checked by address at the moment of sending (services/outbound/optOuts.ts): an
-- opted-out lead blocks a contact with the same email. This partial index holds only the
-- opted-out people, by trimmed lowercased address, so the check stays one index probe per
-- address however many people the store holds.
CREATE INDEX contacts_opted_out_address_idx ON contacts (lower(trim(email))) WHERE opted_out;
