package be.idsvc.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * server-config/tomcat/postgresql/server.xml is the shipped server.xml with another store: apart
 * from its header comment and the DataSource it must be the same file, so that a change to the
 * connectors or engines cannot reach one variant and miss the other (ClusterIT runs this variant).
 */
class PostgresServerXmlTest {
    private static final Path STOCK = Path.of("server-config/tomcat/conf/server.xml");
    private static final Path POSTGRES = Path.of("server-config/tomcat/postgresql/server.xml");

    @Test
    void thePostgresVariantDiffersOnlyInItsDataSource() throws Exception {
        assertEquals(withoutStore(read(STOCK)), withoutStore(read(POSTGRES)));
    }

    @Test
    void thePostgresVariantTakesItsDatabaseFromSystemPropertiesAndValidatesConnections() throws Exception {
        String store = store(read(POSTGRES));
        assertTrue(store.contains("driverClassName=\"org.postgresql.Driver\""), store);
        assertTrue(store.contains("url=\"${idsvc.db.url}\""), store);
        assertTrue(store.contains("username=\"${idsvc.db.user}\" password=\"${idsvc.db.password}\""), store);
        assertTrue(store.contains("validationQuery=\"SELECT 1\""), store);
        assertTrue(store.contains("testOnBorrow=\"true\""), store);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static String store(String xml) {
        return xml.substring(xml.indexOf("<GlobalNamingResources>"), xml.indexOf("</GlobalNamingResources>"));
    }

    /** The file without its first comment (what it is) and without the GlobalNamingResources element. */
    private static String withoutStore(String xml) {
        String body = xml.substring(xml.indexOf("-->", xml.indexOf("<!--")) + 3);
        return body.substring(0, body.indexOf("<GlobalNamingResources>")) + body.substring(body.indexOf("</GlobalNamingResources>"));
    }
}
