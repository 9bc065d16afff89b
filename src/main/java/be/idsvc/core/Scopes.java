package be.idsvc.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Parsing and printing of space-separated scope strings. */
public final class Scopes {
    private Scopes() {}

    /** Every scope in the string; an unknown scope is an error naming it. */
    public static Set<Scope> parse(String scope) {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        if (scope == null) return out;
        // split on spaces only (RFC 6749 §3.3): trim() would also drop control characters and let "openid\0" pass
        for (String s : scope.split(" +")) {
            if (s.isEmpty()) continue;
            out.add(Scope.of(s).orElseThrow(() -> new IllegalArgumentException("unknown scope '" + s + "'")));
        }
        return out;
    }

    public static String format(Collection<Scope> scopes) {
        List<String> names = new ArrayList<>();
        for (Scope s : Scope.values()) {
            if (scopes.contains(s)) names.add(s.value());
        }
        return String.join(" ", names);
    }

    /** The claim names the scopes release, in the order of DESIGN §6. */
    public static List<String> claims(Collection<Scope> scopes) {
        List<String> out = new ArrayList<>();
        for (Scope s : Scope.values()) {
            if (scopes.contains(s)) out.addAll(s.claims());
        }
        return out;
    }
}
