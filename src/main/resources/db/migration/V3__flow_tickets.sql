-- Flow tickets (be.idsvc.store.FlowTickets): the authorization request now travels sealed with the
-- browser, so the store learns of a flow only when the person acted. idsvc_flow_state holds the
-- identity of an identified flow (sealed with a key from the browser secret and the flow id) or the
-- decision that ended it (a tombstone until the ticket expires); idsvc_used_challenge holds the
-- hashes of stateless readout challenges that were presented (ReadoutChallenges), until they expire.
-- idsvc_flow and idsvc_challenge stay for nodes of the previous version during a rolling upgrade;
-- they receive no new rows and are purged empty.
CREATE TABLE IF NOT EXISTS idsvc_flow_state (
    flow_hash VARCHAR(64) PRIMARY KEY,
    identity BYTEA,
    decided_at BIGINT,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idsvc_flow_state_expiry ON idsvc_flow_state (expires_at);

CREATE TABLE IF NOT EXISTS idsvc_used_challenge (
    challenge_hash VARCHAR(64) PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idsvc_used_challenge_expiry ON idsvc_used_challenge (expires_at);
