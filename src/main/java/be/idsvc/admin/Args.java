package be.idsvc.admin;

import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options and operands of one command; anything not declared is a usage error. */
final class Args {
    private final String command;
    private final List<String> operands = new ArrayList<>();
    private final Map<String, List<String>> options = new LinkedHashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param valued options that take a value
     * @param repeatable those of {@code valued} that may be given more than once
     */
    static Args parse(String command, Deque<String> a, Set<String> valued, Set<String> repeatable) {
        Args out = new Args(command);
        while (!a.isEmpty()) {
            String s = a.poll();
            if (s.startsWith("--")) {
                if (!valued.contains(s)) throw new UsageException(command + ": unknown option " + s);
                String v = a.poll();
                if (v == null) throw new UsageException(command + ": " + s + " needs a value");
                ControlCharacters.refuse(command, s, v);
                List<String> vs = out.options.computeIfAbsent(s, k -> new ArrayList<>());
                if (!vs.isEmpty() && !repeatable.contains(s)) throw new UsageException(command + ": " + s + " given twice");
                vs.add(v);
            } else {
                ControlCharacters.refuse(command, "operand " + (out.operands.size() + 1), s);
                out.operands.add(s);
            }
        }
        return out;
    }

    /** Checks that exactly the named operands were given. */
    Args operands(String... names) {
        if (operands.size() != names.length) {
            throw new UsageException(command + " needs " + (names.length == 0 ? "no operand" : String.join(" ", names))
                    + (operands.size() > names.length ? "; unexpected: " + operands.get(names.length) : ""));
        }
        return this;
    }

    String operand(int i) {
        return operands.get(i);
    }

    String option(String name) {
        List<String> v = options.get(name);
        return v == null ? null : v.get(0);
    }

    String option(String name, String fallback) {
        String v = option(name);
        return v == null ? fallback : v;
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    int integer(String name, int fallback, int min, int max) {
        String v = option(name);
        if (v == null) return fallback;
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) throw new NumberFormatException();
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be a whole number from " + min + " to " + max);
        }
    }
}
