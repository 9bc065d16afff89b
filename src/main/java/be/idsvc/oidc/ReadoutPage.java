package be.idsvc.oidc;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;

import be.idsvc.config.ServiceSettings;
import be.idsvc.core.Client;
import be.idsvc.core.Flow;
import be.idsvc.eid.ReadoutRejected;
import be.idsvc.identify.BrowserBinding;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.identify.ReaderProblem;
import be.idsvc.identify.ReadoutIdentification;
import be.idsvc.identify.ReadoutIdentification.Outcome;
import be.idsvc.web.Html;
import be.idsvc.web.Messages;
import be.idsvc.web.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The eID readout page (public host). GET shows {@code <form id="readout" method="post">} with a
 * fresh single-use challenge bound to the flow (made statelessly: showing the page writes nothing); the page's own script ({@code /static/readout.js},
 * the only page whose CSP allows {@code script-src 'self'}) reads the card through the BeIDConnect
 * extension, has the card sign the challenge after the PIN, fills the fields
 * {@code id addr photo idsig addrsig rrncert authcert cacert rootcert authsig} and posts them.
 * POST verifies them ({@link ReadoutIdentification}); success attaches the identity and goes to
 * consent, failure shows a plain-language page and leaves the flow usable for another attempt.
 * When the script cannot read the card it posts {@code error} with a {@link ReaderProblem} code
 * instead ({@code no_extension no_reader no_card pin_cancelled pin_blocked other}).
 */
@Singleton
@Path("/readout")
public final class ReadoutPage {
    /** The fields the script fills, in BeIDConnect's names. */
    static final List<String> CARD_FIELDS = List.of("id", "addr", "photo", "idsig", "addrsig", "rrncert", "authcert",
            "cacert", "rootcert", "authsig");

    private final BrowserFlow flows;
    private final ServiceSettings settings;

    @Inject
    public ReadoutPage(BrowserFlow flows, ServiceSettings settings) {
        this.flows = flows;
        this.settings = settings;
    }

    @GET
    public Response show(@QueryParam("flow") String ref, @QueryParam("lang") String lang,
            @HeaderParam("Accept-Language") String acceptLanguage, @CookieParam(BrowserBinding.COOKIE) String cookie,
            @Context UriInfo uri) {
        FlowPages.Shown shown = FlowPages.shown(flows, uri, ref, lang, acceptLanguage, cookie);
        if (shown.refused()) return shown.refusal();
        Flow flow = shown.flow();
        Messages m = shown.messages();
        boolean test = flows.sandbox();
        if (!flows.readoutAvailable()) {
            return refusedPage(m, 503, m.get("readout.refused.unavailable"), test, null);
        }
        // made, not stored: only a readout that presents it is recorded
        String challenge = flows.issueChallenge(flow);
        String csrf = FlowPages.csrf(flows, flow, cookie);
        StringBuilder b = new StringBuilder();
        b.append(m.switcher("/readout?flow=" + ref));
        String client = flows.client(flow).map(Client::name).orElse("?");
        b.append("<p>").append(Html.esc(m.get("identify.asks", client))).append("</p>\n")
                .append("<p>").append(Html.esc(m.get("readout.intro"))).append("</p>\n")
                .append("<noscript><p class=\"error\">").append(Html.esc(m.get("readout.noscript"))).append("</p></noscript>\n")
                .append("<form id=\"readout\" method=\"post\" action=\"/readout\" data-lang=\"").append(m.lang()).append("\">\n")
                .append(FlowPages.hiddenFields(ref, csrf, "challenge", challenge, "lang", m.lang()));
        for (String f : CARD_FIELDS) b.append(FlowPages.hidden(f, ""));
        b.append(FlowPages.hidden("error", ""))
                .append("<p id=\"status\" role=\"status\" hidden data-reading=\"").append(Html.esc(m.get("readout.reading"))).append("\"></p>\n")
                .append("<div class=\"actions\">\n<button type=\"submit\" id=\"read-card\">").append(Html.esc(m.get("readout.submit")))
                .append("</button>\n</div>\n</form>\n")
                .append("<script src=\"/static/readout.js\"></script>\n");
        return Pages.page(200, Pages.frame(m, m.get("readout.title"), test, b.toString()), Pages.cspWithOwnScripts());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(MultivaluedMap<String, String> form, @HeaderParam("Accept-Language") String acceptLanguage,
            @CookieParam(BrowserBinding.COOKIE) String cookie) {
        FlowPages.Posted posted = FlowPages.posted(flows, form, acceptLanguage, cookie);
        if (posted.refused()) return posted.refusal();
        Flow flow = posted.flow();
        Messages m = posted.messages();
        String ref = posted.field("flow");
        boolean test = flows.sandbox();
        BrowserFlow.Attempt attempt = flows.identifyByReadout(flow, posted.browserSecret(), posted.fields());
        Outcome outcome = attempt.outcome();
        String retry = "/readout?flow=" + ref + "&lang=" + m.lang();
        return switch (outcome.kind()) {
            case IDENTIFIED -> attempt.attached() ? FlowPages.toConsent(settings, ref, m) : FlowPages.flowNotFound(m);
            case READER_PROBLEM -> problemPage(m, outcome.problem(), test, retry, flow, FlowPages.csrf(flows, flow, cookie));
            case BAD_INPUT -> refusedPage(m, 400, m.get("readout.refused.bad_input"), test, retry);
            case CHALLENGE_REFUSED -> refusedPage(m, 403, m.get("readout.refused.challenge"), test, retry);
            case CARD_REFUSED -> refusedPage(m, 403, m.get(explanation(outcome.reason())), test, retry);
            case UNAVAILABLE -> refusedPage(m, 503, m.get("readout.refused.unavailable"), test, null);
        };
    }

    /** The plain-language explanation of a refusal: what the person can understand and act on. */
    static String explanation(ReadoutRejected.Reason reason) {
        if (reason == null) return "readout.refused.bad_input";
        return switch (reason) {
            case MISSING_FIELD, MALFORMED_BASE64, FIELD_TOO_LARGE -> "readout.refused.bad_input";
            case RRN_CERT_UNTRUSTED, RRN_CERT_SUBJECT, RRN_CERT_KEY_USAGE, RRN_CERT_KEY_UNSUPPORTED, RRN_CERT_MALFORMED,
                    RRN_CERT_EXPIRED, RRN_CERT_NOT_YET_VALID -> "readout.refused.trust";
            case IDENTITY_SIGNATURE_INVALID, ADDRESS_SIGNATURE_INVALID, PHOTO_HASH_MISMATCH, PHOTO_HASH_LENGTH_UNKNOWN ->
                    "readout.refused.signature";
            case CARD_EXPIRED -> "readout.refused.card_expired";
            case CARD_NOT_YET_VALID -> "readout.refused.card_not_yet_valid";
            case TLV_MALFORMED, TLV_DUPLICATE_TAG, TLV_LENGTH_OVERRUN, IDENTITY_FIELD_MISSING, ADDRESS_FIELD_MISSING,
                    CARD_DATE_INVALID, NATIONAL_NUMBER_INVALID, CARD_NUMBER_INVALID, BIRTH_DATE_INVALID, GENDER_INVALID ->
                    "readout.refused.card_content";
            case CHALLENGE_SIGNATURE_MISSING, CHALLENGE_SIGNATURE_INVALID -> "readout.refused.pin";
            case AUTH_CERT_MISSING, AUTH_CERT_MALFORMED, AUTH_CERT_UNTRUSTED, AUTH_CERT_EXPIRED, AUTH_CERT_NOT_YET_VALID,
                    AUTH_CERT_KEY_USAGE, AUTH_CERT_POLICY, AUTH_CERT_NATIONAL_NUMBER_MISMATCH -> "readout.refused.auth_cert";
            case AUTH_CERT_REVOKED -> "readout.refused.auth_cert_revoked";
            case AUTH_CERT_REVOCATION_UNKNOWN -> "readout.refused.revocation_unknown";
        };
    }

    /**
     * The card could not be read: what happened in plain words, a retry where trying again can help,
     * and a way to leave (cancel: the client hears access_denied), e.g. with a blocked PIN.
     */
    private static Response problemPage(Messages m, ReaderProblem problem, boolean test, String retry, Flow flow, String csrf) {
        String prefix = "readout.problem." + problem.code();
        String body = "<p class=\"error\" id=\"error\" data-problem=\"" + problem.code() + "\">" + Html.esc(m.get(prefix + ".text")) + "</p>\n"
                + (problem.retryHelps() ? retryLink(m, retry) : "")
                + "<form id=\"leave\" method=\"post\" action=\"/identify\">\n"
                + FlowPages.hiddenFields(flow.ticket(), csrf, "lang", m.lang())
                + "<button type=\"submit\" id=\"cancel\" name=\"action\" value=\"cancel\" class=\"secondary\">"
                + Html.esc(m.get("identify.cancel")) + "</button>\n</form>\n";
        // the cancel answer redirects to the client: form-action must allow its origin
        return Pages.page(200, Pages.frame(m, m.get(prefix + ".title"), test, body), Pages.csp(FlowPages.redirectOrigin(flow)));
    }

    private static Response refusedPage(Messages m, int status, String text, boolean test, String retry) {
        String body = "<p class=\"error\" id=\"error\">" + Html.esc(text) + "</p>\n" + (retry == null ? "" : retryLink(m, retry));
        return Pages.page(status, Pages.frame(m, m.get("readout.refused.title"), test, body), Pages.csp(null));
    }

    private static String retryLink(Messages m, String retry) {
        return "<p><a id=\"retry\" href=\"" + Html.esc(retry) + "\">" + Html.esc(m.get("readout.retry")) + "</a></p>\n";
    }
}
