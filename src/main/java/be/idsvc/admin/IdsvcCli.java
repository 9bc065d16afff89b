package be.idsvc.admin;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The administration command line: {@code idsvc <command> [options]}. Exit status 0 on success,
 * 1 when the command failed, 2 on a usage error.
 */
public final class IdsvcCli {
    private static final String USAGE = """
            usage: idsvc <command> [options]
            commands:
              demo-home --home DIR --demo DIR [--public-port N] [--mtls-port N] [--force]
                  create a complete demo service home in DIR and the client-side demo material
                  (CA, client certificates and keys) in the demo DIR; refuses to replace an
                  existing home unless --force
            """;

    private IdsvcCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Deque<String> a = new ArrayDeque<>(Arrays.asList(args));
        String command = a.poll();
        if (command == null || command.equals("help") || command.equals("--help") || command.equals("-h")) {
            (command == null ? err : out).print(USAGE);
            return command == null ? 2 : 0;
        }
        try {
            switch (command) {
                case "demo-home" -> demoHome(a, out);
                case "readout" -> { return ReadoutVerifyCommand.run(a, out, err); }
                default -> throw new UsageException("unknown command: " + command);
            }
            return 0;
        } catch (UsageException e) {
            err.println("idsvc: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("idsvc " + command + ": " + e.getMessage());
            return 1;
        }
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

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
