package be.idsvc.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import be.idsvc.config.ClientRegistry;
import be.idsvc.config.PropertiesFile;
import be.idsvc.config.SigningKeys;
import be.idsvc.pki.CertificateThumbprint;
import be.idsvc.pki.Pem;

/**
 * The files of a service home that do not parse, each with what the deployments leave out because
 * of it (they parse file by file and fail closed: docs/service-home.md). Read by {@code check}, and
 * by every change that adds trust, which is refused while this list is not empty.
 */
final class BrokenFiles {
    record Broken(String file, String why, String consequence) {
        String line() {
            return file + ": does not parse (" + why + "); " + consequence;
        }
    }

    private BrokenFiles() {}

    static List<Broken> scan(AdminHome home) {
        List<Broken> out = new ArrayList<>();
        try {
            PropertiesFile.read(home.dir.resolve("idsvc.properties"));
        } catch (RuntimeException e) {
            out.add(new Broken("idsvc.properties", withoutPrefix(e.getMessage(), home.dir.resolve("idsvc.properties")),
                    "the deployments do not start until it is fixed"));
        }
        each(home, home.clientsDir(), "*.properties", (rel, content) -> ClientRegistry.parse(rel, content), rel -> {
            String id = AdminHome.stem(rel);
            return "client " + id + " is refused until the file is fixed or removed"
                    + (AdminHome.CLIENT_ID.matcher(id).matches() ? " (idsvc client remove " + id + ")" : "");
        }, out);
        each(home, home.clientCaDir(), "*.pem", (rel, content) -> certificates(content), rel -> {
            String name = AdminHome.stem(rel);
            return "this CA is not trusted until the file is fixed or removed"
                    + (AdminHome.CA_NAME.matcher(name).matches() ? " (idsvc ca remove " + name + ")" : "");
        }, out);
        each(home, home.pinnedDir(), "*.pem", (rel, content) -> {
            String x5t = CertificateThumbprint.x5tS256(certificates(content).get(0));
            if (!(x5t + ".pem").equals(rel.getFileName().toString())) throw new IllegalArgumentException("it holds the certificate of pin " + x5t);
        }, rel -> "pin " + AdminHome.stem(rel) + " is refused at the TLS layer until the file is fixed", out);
        Path layout = home.dir;
        for (String eid : List.of("trust/eid/rrn-ca", "trust/eid/citizen-ca")) {
            each(home, layout.resolve(eid), "*.pem", (rel, content) -> certificates(content),
                    rel -> "this eID anchor is not trusted until the file is fixed or removed", out);
        }
        each(home, home.signingKeysDir(), "*.jwk", (rel, content) -> SigningKeys.parse(rel, content),
                rel -> "this key is not used until the file is fixed or removed", out);
        return out;
    }

    private interface Parser {
        void parse(Path relative, byte[] content);
    }

    private static void each(AdminHome home, Path dir, String glob, Parser parser, java.util.function.Function<Path, String> consequence,
            List<Broken> out) {
        BiConsumer<Path, String> broken = (rel, why) -> out.add(new Broken(rel.toString(), why, consequence.apply(rel)));
        for (Path f : AdminHome.list(dir, glob)) {
            Path rel = home.dir.relativize(f);
            try {
                parser.parse(rel, Files.readAllBytes(f));
            } catch (IOException e) {
                broken.accept(rel, "cannot read it: " + e);
            } catch (RuntimeException e) {
                broken.accept(rel, withoutPrefix(e.getMessage() == null ? e.toString() : e.getMessage(), rel));
            }
        }
    }

    private static List<java.security.cert.X509Certificate> certificates(byte[] content) {
        return Pem.certificates(new String(content, java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** A parser's message without the file name it starts with (the line names the file already). */
    static String withoutPrefix(String message, Path file) {
        String prefix = file + ": ";
        if (message.startsWith(prefix)) return message.substring(prefix.length());
        String bare = "/" + file.getFileName() + ": ";
        int at = message.indexOf(bare);
        return at >= 0 && !message.substring(0, at).contains(" ") ? message.substring(at + bare.length()) : message;
    }
}
