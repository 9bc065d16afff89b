package be.idsvc.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** A UTF-8 properties file with typed, checked accessors whose errors name the file and the key. */
public final class PropertiesFile {
    private final Path file;
    private final Properties props;

    private PropertiesFile(Path file, Properties props) {
        this.file = file;
        this.props = props;
    }

    public static PropertiesFile read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return new PropertiesFile(file, p);
    }

    public Path file() {
        return file;
    }

    public String optional(String key) {
        String v = props.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String required(String key) {
        String v = optional(key);
        if (v == null) throw new ConfigurationException(file + ": " + key + " is missing");
        return v;
    }

    public String string(String key, String fallback) {
        String v = optional(key);
        return v == null ? fallback : v;
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = optional(key);
        if (v == null) return fallback;
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(file + ": " + key + " must be an integer from " + min + " to " + max);
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = optional(key);
        if (v == null) return fallback;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw new ConfigurationException(file + ": " + key + " must be true or false");
    }

    public java.util.Set<String> stringPropertyNames() {
        return props.stringPropertyNames();
    }
}
