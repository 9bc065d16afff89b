package be.idsvc.admin;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import be.idsvc.config.ConfigurationException;
import be.idsvc.config.ServiceHome;
import be.idsvc.eid.EidTrust;
import be.idsvc.eid.EidTrustConfig;
import be.idsvc.eid.Readout;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.eid.ReadoutVerifier;
import be.idsvc.eid.VerifiedCard;
import be.idsvc.identify.SandboxCards;
import be.idsvc.json.Json;

/**
 * {@code idsvc readout verify FILE.json [--challenge B64URL] [--trust DIR | --home DIR] [--lenient] [--at INSTANT] [--photo]}:
 * verifies a card readout (a JSON object with BeIDConnect's base64 fields, as the readout page posts
 * them, or a sandbox card's readout.json) with the same verifier as the service. Prints the claims as
 * JSON and exits 0, or prints the precise reason and exits 1.
 */
public final class ReadoutVerifyCommand {
    public static final String USAGE = """
              readout verify FILE.json [--challenge B64URL] [--trust DIR | --home DIR] [--lenient] [--at INSTANT] [--photo]
                  verify a card readout (JSON object of BeIDConnect's base64 fields) with the eID trust of
                  the service home (--home, else idsvc.home / IDSVC_HOME) or of DIR (rrn-ca/*.pem and
                  citizen-ca/*.pem); with --challenge, the authsig over that challenge is required.
                  With --trust, the production rules apply (RRN subject CN=RRN, O=RRN, C=BE, Belgian
                  certificate policies, national number date/parity); --lenient: test cards, none of these.
                  --at: judge validity at that instant (e.g. 2020-06-01T10:00:00Z). Prints the claims
                  (photo only with --photo) or the reason of refusal (exit 1).
            """;

    private ReadoutVerifyCommand() {}

    /** @return the exit status: 0 verified, 1 refused or unusable input, 2 usage error */
    public static int run(Deque<String> args, PrintStream out, PrintStream err, Clock clock) {
        String sub = args.poll();
        if (!"verify".equals(sub)) return usage(err, "readout: expected 'verify'");
        Path file = null;
        String challenge = null;
        Path trustDir = null;
        Path home = null;
        boolean lenient = false;
        boolean photo = false;
        Instant at = null;
        Deque<String> a = new ArrayDeque<>(args);
        while (!a.isEmpty()) {
            String opt = a.poll();
            switch (opt) {
                case "--challenge", "--trust", "--home", "--at" -> {
                    String v = a.poll();
                    if (v == null || v.startsWith("--")) return usage(err, opt + " needs a value");
                    switch (opt) {
                        case "--challenge" -> challenge = v;
                        case "--trust" -> trustDir = Path.of(v);
                        case "--home" -> home = Path.of(v);
                        default -> {
                            try {
                                at = Instant.parse(v);
                            } catch (DateTimeParseException e) {
                                return usage(err, "--at: not an instant (e.g. 2020-06-01T10:00:00Z): " + v);
                            }
                        }
                    }
                }
                case "--lenient" -> lenient = true;
                case "--photo" -> photo = true;
                default -> {
                    if (opt.startsWith("--") || file != null) return usage(err, "readout verify: unexpected " + opt);
                    file = Path.of(opt);
                }
            }
        }
        if (file == null) return usage(err, "readout verify needs FILE.json");
        if (trustDir != null && home != null) return usage(err, "give --trust or --home, not both");
        byte[] challengeBytes = null;
        if (challenge != null) {
            try {
                challengeBytes = Base64.getUrlDecoder().decode(challenge);
            } catch (IllegalArgumentException e) {
                return usage(err, "--challenge is not base64url");
            }
        }
        try {
            EidTrustConfig config = trustDir != null ? EidTrustConfig.fromTrustDir(trustDir, !lenient, clock)
                    : new EidTrustConfig(ServiceHome.locate(home == null ? null : home.toString()), clock);
            Optional<EidTrust> trust = config.trust();
            if (trust.isEmpty()) {
                err.println("idsvc readout verify: no RRN trust anchor (rrn-ca/*.pem) in " + (trustDir != null ? trustDir : "the service home"));
                return 1;
            }
            EidTrust t = trust.get();
            if (lenient) t = t.toBuilder().strictNationalNumbers(false).build();
            if (at != null) t = t.withClock(Clock.fixed(at, ZoneOffset.UTC));
            if (!Files.isRegularFile(file)) {
                err.println("idsvc readout verify: no such file " + file);
                return 1;
            }
            Readout readout = Readout.fromFields(SandboxCards.readFields(file));
            VerifiedCard card = new ReadoutVerifier(t).verify(readout, challengeBytes, challengeBytes != null);
            Map<String, Object> result = new LinkedHashMap<>(card.claims());
            if (!photo) result.remove("photo");
            result.put("challenge_verified", card.challengeVerified());
            out.println(Json.write(result));
            return 0;
        } catch (ReadoutRejected e) {
            err.println("refused: " + e.getMessage());
            return 1;
        } catch (ConfigurationException e) {
            err.println("idsvc readout verify: " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("idsvc: " + message);
        err.print("usage: idsvc " + USAGE.strip() + "\n");
        return 2;
    }
}
