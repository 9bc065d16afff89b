package be.idsvc.web;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The pages' texts in English, Dutch, French or German ({@code be/idsvc/web/messages_*.properties}).
 * The language is, in this order: the one the person picked on the page ({@code lang}), the first
 * supported one of the client's {@code ui_locales}, the first supported one of the browser's
 * {@code Accept-Language}, English.
 */
public final class Messages {
    public static final List<String> SUPPORTED = List.of("en", "nl", "fr", "de");
    private static final ResourceBundle.Control NO_DEFAULT_LOCALE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String lang;
    private final ResourceBundle bundle;

    private Messages(String lang) {
        this.lang = lang;
        this.bundle = ResourceBundle.getBundle("be.idsvc.web.messages", Locale.forLanguageTag(lang), NO_DEFAULT_LOCALE);
    }

    public static Messages of(String lang) {
        return new Messages(SUPPORTED.contains(lang) ? lang : "en");
    }

    /** @param picked the {@code lang} parameter; {@code uiLocales} from the flow; {@code acceptLanguage} the header */
    public static Messages choose(String picked, List<String> uiLocales, String acceptLanguage) {
        if (picked != null && SUPPORTED.contains(picked)) return new Messages(picked);
        if (uiLocales != null) {
            for (String l : uiLocales) {
                String primary = primary(l);
                if (SUPPORTED.contains(primary)) return new Messages(primary);
            }
        }
        if (acceptLanguage != null && acceptLanguage.length() < 1000) {
            try {
                for (Locale.LanguageRange r : Locale.LanguageRange.parse(acceptLanguage)) {
                    String primary = primary(r.getRange());
                    if (r.getWeight() > 0 && SUPPORTED.contains(primary)) return new Messages(primary);
                }
            } catch (IllegalArgumentException e) {
                // a malformed header chooses nothing
            }
        }
        return new Messages("en");
    }

    private static String primary(String tag) {
        int dash = tag.indexOf('-');
        return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
    }

    public String lang() {
        return lang;
    }

    /** The text, a {@link MessageFormat} pattern (so {@code ''} is one apostrophe). A missing key shows as itself. */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            return key;
        }
        return new MessageFormat(pattern, Locale.forLanguageTag(lang)).format(args);
    }

    /** Links to the same page in every other language ({@code path} already carries {@code ?flow=…}). */
    public String switcher(String path) {
        StringBuilder b = new StringBuilder("<nav class=\"langs\" id=\"languages\" aria-label=\"Language\">");
        for (String l : SUPPORTED) {
            String name = Messages.of(l).get("language.name");
            if (l.equals(lang)) {
                b.append("<strong lang=\"").append(l).append("\">").append(Html.esc(name)).append("</strong> ");
            } else {
                b.append("<a lang=\"").append(l).append("\" hreflang=\"").append(l).append("\" href=\"")
                        .append(Html.esc(path + "&lang=" + l)).append("\">").append(Html.esc(name)).append("</a> ");
            }
        }
        return b.append("</nav>\n").toString();
    }
}
