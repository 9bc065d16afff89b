package be.idsvc.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;

import org.junit.jupiter.api.Test;

import be.idsvc.pki.Pem;

class ServerKeystoreTest extends CliTestSupport {

    @Test
    void writesTheServerKeyPairAsPkcs12OnceAndOnlyAgainWhenThePemFilesChange() throws Exception {
        Path p12 = home.resolve("tls/server.p12");
        Result first = idsvc("tls", "server-p12");
        assertEquals(0, first.exit(), first.err());
        assertEquals("wrote tls/server.p12\n", first.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)));

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "server".toCharArray());
        }
        assertArrayEquals(Pem.certificates(home.resolve("tls/server.pem")).toArray(Certificate[]::new),
                ks.getCertificateChain("server"));
        assertArrayEquals(Pem.privateKey(home.resolve("tls/server-key.pem")).getEncoded(),
                ks.getKey("server", "server".toCharArray()).getEncoded());

        byte[] before = Files.readAllBytes(p12);
        Result second = idsvc("tls", "server-p12");
        assertEquals(0, second.exit(), second.err());
        assertEquals("tls/server.p12 is up to date\n", second.out());
        assertArrayEquals(before, Files.readAllBytes(p12), "an up-to-date key store is not rewritten");

        Files.writeString(p12, "garbage");
        Result third = idsvc("tls", "server-p12");
        assertEquals("wrote tls/server.p12\n", third.out());
        assertTrue(Files.size(p12) > 100);
    }
}
