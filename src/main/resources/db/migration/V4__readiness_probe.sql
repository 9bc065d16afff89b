-- One row that readiness (/health/ready) rewrites: a store that still answers reads can have lost
-- its ability to write (disk full, read-only file system), and only a write shows it.
CREATE TABLE IF NOT EXISTS idsvc_probe (
    id INT PRIMARY KEY,
    probed_at BIGINT NOT NULL
);
INSERT INTO idsvc_probe (id, probed_at) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM idsvc_probe WHERE id = 1);
