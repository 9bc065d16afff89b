-- eID readout challenges (the readout page's PIN-signed freshness): single-use, bound to one flow,
-- stored only as hashes of the challenge and of the flow reference.
CREATE TABLE IF NOT EXISTS idsvc_challenge (
    challenge_hash VARCHAR(64) PRIMARY KEY,
    flow_hash VARCHAR(64) NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idsvc_challenge_expiry ON idsvc_challenge (expires_at);
