package be.idsvc.oidc;

import java.util.Map;

import be.idsvc.web.Html;

/** How each claim reads on the consent page. */
final class ConsentClaims {
    private ConsentClaims() {}

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("sub", "Identifier"),
            Map.entry("name", "Name"),
            Map.entry("given_name", "Given names"),
            Map.entry("family_name", "Family name"),
            Map.entry("birthdate", "Date of birth"),
            Map.entry("gender", "Gender"),
            Map.entry("address", "Address"),
            Map.entry("nationality", "Nationality"),
            Map.entry("place_of_birth", "Place of birth"),
            Map.entry("card_number", "Card number"),
            Map.entry("card_validity_begin", "Card valid from"),
            Map.entry("card_validity_end", "Card valid until"),
            Map.entry("card_delivery_municipality", "Card issued by"),
            Map.entry("document_type", "Document type"),
            Map.entry("national_number", "National register number"),
            Map.entry("photo", "Photo"));

    /** Claims that describe the sign-in itself rather than the person. */
    static boolean isTechnical(String claim) {
        return claim.equals("acr") || claim.equals("amr") || claim.equals("auth_time") || claim.equals("sub");
    }

    static String row(String claim, Object value) {
        String shown;
        if (claim.equals("photo")) {
            shown = "<img class=\"photo\" alt=\"Photo\" src=\"data:image/jpeg;base64," + Html.esc(value) + "\">";
        } else if (value instanceof Map<?, ?> address) {
            shown = Html.esc(String.join(", ", address.values().stream().map(String::valueOf).toList()));
        } else {
            shown = Html.esc(value);
        }
        return "<dt data-claim=\"" + Html.esc(claim) + "\">" + Html.esc(LABELS.getOrDefault(claim, claim)) + "</dt><dd>" + shown + "</dd>\n";
    }
}
