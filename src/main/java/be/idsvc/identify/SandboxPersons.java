package be.idsvc.identify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.WatchedDirectory;
import be.idsvc.core.AcrValues;
import be.idsvc.core.Identity;

/**
 * The sandbox identification method: the person picks one of the configured test persons. Off
 * unless the service home enables it; every identity it makes carries the sandbox test acr.
 */
public final class SandboxPersons {
    private static final List<String> FLAT_CLAIMS = List.of("given_name", "family_name", "birthdate", "gender",
            "nationality", "place_of_birth", "card_number", "card_validity_begin", "card_validity_end",
            "card_delivery_municipality", "document_type");

    private final WatchedDirectory<Map<String, SandboxPerson>> persons;

    public SandboxPersons(ServiceHome home) {
        this.persons = new WatchedDirectory<>(home.sandboxPersonsDir(), "*.properties", SandboxPersons::parseAll);
    }

    public List<SandboxPerson> all() {
        return List.copyOf(persons.get().values());
    }

    public Optional<SandboxPerson> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(persons.get().get(id));
    }

    public Identity identify(SandboxPerson person, long now) {
        return new Identity(person.nationalNumber(), person.claims(), AcrValues.SANDBOX_TEST, List.of("test"), now);
    }

    private static Map<String, SandboxPerson> parseAll(Map<Path, byte[]> files) {
        Map<String, SandboxPerson> out = new LinkedHashMap<>();
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            String name = f.getKey().getFileName().toString();
            String id = name.substring(0, name.length() - ".properties".length());
            out.put(id, parse(f.getKey(), id, f.getValue()));
        }
        return out;
    }

    private static SandboxPerson parse(Path file, String id, byte[] content) {
        Properties p = new Properties();
        try {
            p.load(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(file + ": not a properties file");
        }
        String nn = p.getProperty("national_number", "").trim();
        if (!nn.matches("[0-9]{11}")) throw new ConfigurationException(file + ": national_number must have 11 digits");
        Map<String, Object> claims = new LinkedHashMap<>();
        String given = p.getProperty("given_name", "").trim();
        String family = p.getProperty("family_name", "").trim();
        if (given.isEmpty() || family.isEmpty()) throw new ConfigurationException(file + ": given_name and family_name are required");
        claims.put("name", given + " " + family);
        for (String c : FLAT_CLAIMS) {
            String v = p.getProperty(c, "").trim();
            if (!v.isEmpty()) claims.put(c, v);
        }
        Map<String, Object> address = new LinkedHashMap<>();
        for (String c : List.of("street_address", "postal_code", "locality", "country")) {
            String v = p.getProperty(c, "").trim();
            if (!v.isEmpty()) address.put(c, v);
        }
        if (!address.isEmpty()) claims.put("address", address);
        String label = p.getProperty("label", given + " " + family).trim();
        return new SandboxPerson(id, label, nn, claims);
    }
}
