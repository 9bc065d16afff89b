package be.idsvc.admin;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import be.idsvc.config.ConfigurationException;
import be.idsvc.pki.Pem;

/**
 * The administration command line: {@code idsvc <command> [options]}. Exit status 0 on success,
 * 1 when the command failed, 2 on a usage error.
 */
public final class IdsvcCli {
    private static final String USAGE = """
            usage: idsvc [--home DIR] <command> [options]
            The service home is --home DIR, else the system property idsvc.home, else $IDSVC_HOME.
            Every change is written atomically under an exclusive lock (DIR/admin.lock), appended to
            DIR/audit.log and, for clients, pins and CAs, followed by a regeneration of
            DIR/tls/client-truststore.p12. While a file of the home does not parse (see: check),
            only removals are carried out. Control characters in any value are a usage error.
            commands:
              client add ID --auth tls_client_auth|self_signed_tls_client_auth --redirect-uri URI
                  [--redirect-uri URI...] [--scopes "openid profile ..."] [--subject-dn DN | --san-dns NAME]
                  [--name NAME] [--id-token-alg ES256|RS256|PS256] [--sector ID] [--cert FILE.pem]
                  register a client (tls_client_auth needs --subject-dn or --san-dns); --cert pins it
              client list                      the registered clients
              client show ID                   a registration and the certificate behind each pin
              client remove ID                 delete a registration and the certificates only it pins
              pin add ID FILE.pem              pin a client certificate (CA-issued and matching for
                                               tls_client_auth, self-signed for self_signed_tls_client_auth)
              pin remove ID X5T                unpin (revoke) one certificate of a client
              ca add FILE.pem [--name NAME]    trust a CA for tls_client_auth (trust/client-ca/NAME.pem)
              ca list                          the client CAs, their expiry, fingerprint and revocation
              ca remove NAME                   stop trusting a CA (and drop its CRL)
              crl import FILE                  install a CRL (DER or PEM) signed by a client CA
              keys rotate [--alg ES256|RS256|PS256] [--publish-for SECONDS]
                                               new signing key, published at once, signing after
                                               SECONDS (default 600); retires the previous one
              check [--days N]                 files that do not parse, certificates expiring within N
                                               days (default 30), expired or missing pins, clients
                                               without pins, CAs without revocation; exit 0 when
                                               nothing needs action, else 1
              readout verify FILE.json [--challenge B64URL] [--trust DIR] [--lenient] [--at INSTANT] [--photo]
                                               verify an eID readout (BeIDConnect fields) with the home's
                                               eID trust or --trust DIR; prints the claims or the reason
              tls server-p12                   write tls/server.p12 (PKCS#12, password "server") from
                                               tls/server.pem and tls/server-key.pem when it differs
                                               (for WildFly, whose key-store reads no PEM key pairs)
              store migrate --jdbc-url URL [--user USER] [--password-file FILE]
                                               bring the store's schema to this version (as the
                                               deployments do at start-up); needs no service home
              demo-home --home DIR --demo DIR [--public-port N] [--mtls-port N] [--force]
                  create a complete demo service home in DIR and the client-side demo material
                  (CA, client certificates and keys) in the demo DIR; refuses to replace an
                  existing home unless --force
            exit status: 0 done, 1 refused or failed (nothing changed), 2 usage error
            """;

    private IdsvcCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)} with the clock the commands consider "now". */
    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        Deque<String> a = new ArrayDeque<>(Arrays.asList(args));
        String home = null;
        while ("--home".equals(a.peek())) {
            a.poll();
            home = a.poll();
            if (home == null) return usage(err, "--home needs a value");
        }
        String command = a.poll();
        if (command == null || command.equals("help") || command.equals("--help") || command.equals("-h")) {
            (command == null ? err : out).print(USAGE);
            return command == null ? 2 : 0;
        }
        String label = command;
        try {
            if (home != null) ControlCharacters.refuse("", "--home", home);
            if (Set.of("demo-home", "store", "readout").contains(command)) {
                // these parse their own arguments; the others go through Args, which names the option
                int n = 0;
                for (String arg : a) ControlCharacters.refuse(command, "argument " + (++n), arg);
            }
            if (command.equals("demo-home")) {
                if (home != null) {
                    a.addFirst(home);
                    a.addFirst("--home");
                }
                demoHome(a, out);
                return 0;
            }
            if (command.equals("store")) {
                return StoreCommand.run(a, out);
            }
            if (command.equals("readout")) {
                if (home != null) {
                    a.addFirst(home);
                    a.addFirst("--home");
                }
                return ReadoutVerifyCommand.run(a, out, err, clock);
            }
            if (!Set.of("client", "pin", "ca", "crl", "keys", "check", "tls").contains(command)) {
                throw new UsageException("unknown command: " + command);
            }
            String sub = command.equals("check") ? "" : a.poll();
            if (sub == null) throw new UsageException(command + " needs a subcommand");
            label = (command + " " + sub).strip();
            // --home may also follow the command
            List<String> rest = new ArrayList<>();
            while (!a.isEmpty()) {
                String s = a.poll();
                if (s.equals("--home")) {
                    home = a.poll();
                    if (home == null) throw new UsageException("--home needs a value");
                    ControlCharacters.refuse(label, "--home", home);
                } else {
                    rest.add(s);
                }
            }
            Deque<String> r = new ArrayDeque<>(rest);
            AdminHome h = new AdminHome(homeDir(home), clock);
            // every change runs under the home's lock and reads the home under it (AdminHome.locked)
            switch (label) {
                case "client add" -> {
                    Args parsed = Args.parse(label, r, Set.of("--auth", "--redirect-uri", "--scopes", "--subject-dn", "--san-dns", "--name",
                            "--id-token-alg", "--sector", "--cert"), Set.of("--redirect-uri"));
                    h.locked(() -> new ClientCommands(h, out).add(parsed));
                }
                case "client list" -> new ClientCommands(h, out).list(Args.parse(label, r, Set.of(), Set.of()));
                case "client show" -> new ClientCommands(h, out).show(Args.parse(label, r, Set.of(), Set.of()));
                case "client remove" -> {
                    Args parsed = Args.parse(label, r, Set.of(), Set.of());
                    h.locked(() -> new ClientCommands(h, out).remove(parsed));
                }
                case "pin add" -> {
                    Args parsed = Args.parse(label, r, Set.of(), Set.of());
                    h.locked(() -> new ClientCommands(h, out).pinAdd(parsed));
                }
                case "pin remove" -> {
                    Args parsed = Args.parse(label, r, Set.of(), Set.of());
                    h.locked(() -> new ClientCommands(h, out).pinRemove(parsed));
                }
                case "ca add" -> {
                    Args parsed = Args.parse(label, r, Set.of("--name"), Set.of());
                    h.locked(() -> new CaCommands(h, out).add(parsed));
                }
                case "ca list" -> new CaCommands(h, out).list(Args.parse(label, r, Set.of(), Set.of()));
                case "ca remove" -> {
                    Args parsed = Args.parse(label, r, Set.of(), Set.of());
                    h.locked(() -> new CaCommands(h, out).remove(parsed));
                }
                case "crl import" -> {
                    Args parsed = Args.parse(label, r, Set.of(), Set.of());
                    h.locked(() -> new CaCommands(h, out).crlImport(parsed));
                }
                case "keys rotate" -> {
                    Args parsed = Args.parse(label, r, Set.of("--alg", "--publish-for"), Set.of());
                    h.locked(() -> new KeyCommands(h, out).rotate(parsed));
                }
                case "tls server-p12" -> {
                    Args.parse(label, r, Set.of(), Set.of()).operands();
                    out.println(ServerKeystore.sync(h.dir) ? "wrote " + ServerKeystore.FILE
                            : ServerKeystore.FILE + " is up to date");
                }
                case "check" -> {
                    return new CheckCommand(h, out).run(Args.parse(label, r, Set.of("--days"), Set.of()));
                }
                default -> throw new UsageException("unknown command: " + label);
            }
            return 0;
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        } catch (AdminException | ConfigurationException | Pem.PemException | DemoHome.HomeExistsException e) {
            err.println("idsvc " + label + ": " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            err.println("idsvc " + label + ": " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return 1;
        } catch (RuntimeException e) {
            err.println("idsvc " + label + ": " + e);
            return 1;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("idsvc: " + message);
        err.println("usage: see idsvc help");
        return 2;
    }

    /** --home, else the system property idsvc.home, else $IDSVC_HOME; must hold idsvc.properties. */
    private static Path homeDir(String option) {
        String where = option;
        if (where == null || where.isBlank()) where = System.getProperty("idsvc.home");
        if (where == null || where.isBlank()) where = System.getenv("IDSVC_HOME");
        if (where == null || where.isBlank()) {
            throw new UsageException("no service home: give --home DIR or set the system property idsvc.home or IDSVC_HOME");
        }
        Path dir = Path.of(where).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("idsvc.properties"))) {
            throw new AdminException("no service home at " + dir + " (it has no idsvc.properties)");
        }
        return dir;
    }

    private static void demoHome(Deque<String> a, PrintStream out) {
        Path home = null;
        Path demo = null;
        int publicPort = 8443;
        int mtlsPort = 9443;
        boolean force = false;
        while (!a.isEmpty()) {
            String opt = a.poll();
            switch (opt) {
                case "--home" -> home = Path.of(value(opt, a));
                case "--demo" -> demo = Path.of(value(opt, a));
                case "--public-port" -> publicPort = port(opt, value(opt, a));
                case "--mtls-port" -> mtlsPort = port(opt, value(opt, a));
                case "--force" -> force = true;
                default -> throw new UsageException("demo-home: unknown option " + opt);
            }
        }
        if (home == null || demo == null) throw new UsageException("demo-home needs --home DIR and --demo DIR");
        try {
            DemoHome.create(new DemoHome.Options(home, demo, publicPort, mtlsPort, force), out);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String value(String opt, Deque<String> a) {
        String v = a.poll();
        if (v == null || v.startsWith("--")) throw new UsageException(opt + " needs a value");
        return v;
    }

    private static int port(String opt, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(opt + ": not a number: " + v);
        }
    }
}
