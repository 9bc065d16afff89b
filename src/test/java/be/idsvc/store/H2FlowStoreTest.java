package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.core.Secrets;
import be.idsvc.store.FlowStore.CodeLookup;

/** The store suite on H2, the embedded default store (in memory here; in a file in the shipped config). */
class H2FlowStoreTest extends FlowStoreContract {
    @TempDir
    Path dir;

    @Override
    String newDatabase() {
        return "jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    DataSource dataSource(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }

    @Test
    void restartLosesNothing() {
        // the shipped H2 store is a file; the database closes with its last connection, as at a restart
        String fileUrl = "jdbc:h2:file:" + dir.resolve("idsvc");
        DataSource first = dataSource(fileUrl);
        StoreSchema.create(first);
        String code = new FlowStore(first).issueCode(grant(), NOW + 60);
        String at = Secrets.newHandle();
        String redeemed = new FlowStore(first).issueCode(grant(), NOW + 60);
        new FlowStore(first).redeemCode(redeemed, at, token(), NOW);

        DataSource second = dataSource(fileUrl);
        StoreSchema.create(second);
        FlowStore after = new FlowStore(second);
        assertEquals("nonce-1", after.findCode(code, NOW).grant().nonce());
        assertEquals(CodeLookup.Status.REDEEMED, after.findCode(redeemed, NOW).status());
        assertEquals("demo", after.findAccessToken(at, NOW).orElseThrow().clientId());
    }

    @Test
    void sealedValueOpensOnlyWithItsHandleAndPurpose() throws Exception {
        byte[] sealed = Sealer.seal("handle", "purpose", "secret".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), Sealer.open("handle", "purpose", sealed));
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle2", "purpose", sealed));
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle", "other", sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(java.security.GeneralSecurityException.class, () -> Sealer.open("handle", "purpose", sealed));
    }
}
