-- The flow store (DESIGN §5), portable between H2 and PostgreSQL: exactly the tables that
-- StoreSchema created before Flyway. Times are epoch seconds set by the service; handles appear
-- only as hashes, personal data only sealed (be.idsvc.store.Sealer).
-- IF NOT EXISTS: a database made by the old StoreSchema is baselined at version 1 instead, but a
-- half-made one must not fail here either.
CREATE TABLE IF NOT EXISTS idsvc_flow (
    ref_hash VARCHAR(64) PRIMARY KEY,
    browser_hash VARCHAR(64) NOT NULL,
    client_id VARCHAR(64) NOT NULL,
    request VARCHAR(20000) NOT NULL,
    identity BYTEA,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idsvc_flow_expiry ON idsvc_flow (expires_at);

CREATE TABLE IF NOT EXISTS idsvc_code (
    code_hash VARCHAR(64) PRIMARY KEY,
    client_id VARCHAR(64) NOT NULL,
    grant_data BYTEA,
    expires_at BIGINT NOT NULL,
    redeemed_at BIGINT,
    access_token_hash VARCHAR(64)
);
CREATE INDEX IF NOT EXISTS idsvc_code_expiry ON idsvc_code (expires_at);

CREATE TABLE IF NOT EXISTS idsvc_access_token (
    token_hash VARCHAR(64) PRIMARY KEY,
    client_id VARCHAR(64) NOT NULL,
    cnf_x5t VARCHAR(64) NOT NULL,
    claims BYTEA NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS idsvc_access_token_expiry ON idsvc_access_token (expires_at);
