package be.idsvc.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.ServiceHome;
import be.idsvc.json.Json;

/** Issue 21: a sandbox card's readout.json is our own format, read strictly with the one mapper. */
class SandboxCardFileTest {
    @TempDir
    Path dir;
    Path cards;

    @BeforeEach
    void demoHome() {
        Path home = dir.resolve("home");
        DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        cards = ServiceHome.at(home).sandboxCardsDir();
    }

    private Path file(String id) {
        return cards.resolve(id).resolve("readout.json");
    }

    @Test
    void writtenInTheFormItAlwaysHad() throws Exception {
        String text = Files.readString(file("bob"), StandardCharsets.UTF_8);
        assertTrue(text.endsWith("}\n"));
        Map<String, Object> m = Json.readObject(text);
        assertEquals(List.of("label", "test", "key_type", "id", "addr", "photo", "idsig", "addrsig", "rrncert", "authcert", "cacert"),
                List.copyOf(m.keySet()));
        assertEquals(true, m.get("test"));
        assertEquals("EC P-384", m.get("key_type"));
        // the same bytes as a plain member-by-member map (which the golden tests pin to what jose4j wrote)
        assertEquals(Json.write(m) + "\n", text);
    }

    @Test
    void anUnknownMemberOrADuplicateDisablesThatCardOnly() throws Exception {
        String bob = Files.readString(file("bob"), StandardCharsets.UTF_8);
        Files.writeString(file("bob"), bob.replaceFirst("\\{", "{\"extra\":1,"));
        SandboxCards sandbox = new SandboxCards(cards);
        assertEquals(List.of("alice", "chloe"), sandbox.all().stream().map(SandboxCards.Listed::id).toList());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> sandbox.find("bob"));
        assertTrue(e.getMessage().contains("unknown member \"extra\""), e.getMessage());

        Files.writeString(file("bob"), bob.replaceFirst("\\{", "{\"label\":\"Mallory\","));
        e = assertThrows(ConfigurationException.class, () -> sandbox.find("bob"));
        assertTrue(e.getMessage().contains("a duplicate member name"), e.getMessage());
        assertEquals(List.of("alice", "chloe"), sandbox.all().stream().map(SandboxCards.Listed::id).toList());

        Files.writeString(file("bob"), bob.replaceFirst("\\{", "{\"extra\":" + "[".repeat(200) + "]".repeat(200) + ","));
        e = assertThrows(ConfigurationException.class, () -> sandbox.find("bob"));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());

        Files.writeString(file("bob"), bob);
        assertEquals("Bob Specimen (EC P-384 card, male, born 1970)", sandbox.find("bob").orElseThrow().label());
    }

    @Test
    void aReadoutFromElsewhereKeepsItsStringMembersAndIgnoresTheRest() throws Exception {
        Path foreign = dir.resolve("foreign.json");
        String bob = Files.readString(file("bob"), StandardCharsets.UTF_8);
        Files.writeString(foreign, bob.replaceFirst("\\{", "{\"reader\":{\"name\":\"ACS ACR38U\"},\"version\":2,"));
        Map<String, String> fields = SandboxCards.readFields(foreign);
        assertEquals("EC P-384", fields.get("key_type"));
        assertTrue(!fields.containsKey("reader") && !fields.containsKey("version") && !fields.containsKey("test"));
        Files.writeString(foreign, bob.replaceFirst("\\{", "{\"id\":\"AAAA\","));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SandboxCards.readFields(foreign));
        assertTrue(e.getMessage().contains("a duplicate member name"), e.getMessage());
    }
}
