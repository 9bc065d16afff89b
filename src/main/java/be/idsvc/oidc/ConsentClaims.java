package be.idsvc.oidc;

import java.util.Map;

import be.idsvc.web.Html;
import be.idsvc.web.Messages;

/** How each claim reads on the consent page. */
final class ConsentClaims {
    private ConsentClaims() {}

    /** Claims that describe the sign-in itself rather than the person. */
    static boolean isTechnical(String claim) {
        return claim.equals("acr") || claim.equals("amr") || claim.equals("auth_time") || claim.equals("sub");
    }

    /** The claim's label in the page's language ({@code claim.<name>} in the messages). */
    static String row(String claim, Object value, Messages m) {
        String shown;
        if (claim.equals("photo")) {
            shown = "<img class=\"photo\" alt=\"" + Html.esc(m.get("claim.photo")) + "\" src=\"data:image/jpeg;base64," + Html.esc(value) + "\">";
        } else if (value instanceof Map<?, ?> address) {
            shown = Html.esc(String.join(", ", address.values().stream().map(String::valueOf).toList()));
        } else {
            shown = Html.esc(readable(claim, value, m));
        }
        return "<dt data-claim=\"" + Html.esc(claim) + "\">" + Html.esc(m.get("claim." + claim)) + "</dt><dd>" + shown + "</dd>\n";
    }

    /**
     * Coded values (gender, document type) read as words in the person's language; the client still
     * receives the code. A value without a translation is shown as it is.
     */
    static String readable(String claim, Object value, Messages m) {
        String key = "value." + claim + "." + value;
        String text = m.get(key);
        return text.equals(key) ? String.valueOf(value) : text;
    }
}
