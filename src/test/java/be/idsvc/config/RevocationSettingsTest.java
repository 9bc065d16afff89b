package be.idsvc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.RevocationSettings.UnavailablePolicy;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.ServiceSettings;

/** The revocation.* keys of idsvc.properties. */
class RevocationSettingsTest {
    @TempDir
    Path dir;

    private Path write(String revocationLines) throws Exception {
        Path f = dir.resolve("idsvc.properties");
        Files.writeString(f, "issuer=https://localhost:9443\npublic_base_url=https://localhost:8443\n" + revocationLines);
        return f;
    }

    @Test
    void defaultsFailClosedWithImportedCrlsOnly() throws Exception {
        write("");
        assertEquals(new RevocationSettings(false, false, null, UnavailablePolicy.FAIL), ServiceSettings.load(ServiceHome.at(dir)).revocation());
        assertEquals(RevocationSettings.defaults(), ServiceSettings.load(ServiceHome.at(dir)).revocation());
    }

    @Test
    void everythingSet() throws Exception {
        write("revocation.crl.fetch=true\nrevocation.ocsp=true\nrevocation.ocsp.responder=http://ocsp.example.org/q\nrevocation.unavailable=allow\n");
        assertEquals(new RevocationSettings(true, true, URI.create("http://ocsp.example.org/q"), UnavailablePolicy.ALLOW),
                ServiceSettings.load(ServiceHome.at(dir)).revocation());
    }

    @Test
    void wrongValuesAreRefusedWithMessagesNamingTheKey() throws Exception {
        Path f = write("revocation.unavailable=maybe\n");
        assertEquals(f + ": revocation.unavailable must be fail or allow (found 'maybe')",
                assertThrows(ConfigurationException.class, () -> RevocationSettings.read(PropertiesFile.read(f))).getMessage());
        write("revocation.crl.fetch=yes\n");
        assertEquals(f + ": revocation.crl.fetch must be true or false",
                assertThrows(ConfigurationException.class, () -> ServiceSettings.load(ServiceHome.at(dir))).getMessage());
        write("revocation.ocsp=1\n");
        assertEquals(f + ": revocation.ocsp must be true or false",
                assertThrows(ConfigurationException.class, () -> ServiceSettings.load(ServiceHome.at(dir))).getMessage());
        for (String bad : new String[] {"ldap://ocsp.example.org", "ocsp.example.org", "http://", "http://ocsp.example.org/#x"}) {
            write("revocation.ocsp.responder=" + bad + "\n");
            assertEquals(f + ": revocation.ocsp.responder must be an http or https URL with a host and without fragment (found '" + bad + "')",
                    assertThrows(ConfigurationException.class, () -> ServiceSettings.load(ServiceHome.at(dir))).getMessage(), bad);
        }
    }
}
