package be.idsvc.oidc;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

/** What the pages read of a request, for calling them without a container. */
final class PageRequests {
    private PageRequests() {}

    /** A form of name/value pairs; a null value leaves the field out. */
    static MultivaluedMap<String, String> form(String... pairs) {
        MultivaluedMap<String, String> f = new MultivaluedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i + 1] != null) f.add(pairs[i], pairs[i + 1]);
        return f;
    }

    /** A request URI without repeated query parameters (the only part of it the pages read themselves). */
    static UriInfo noQuery() {
        return (UriInfo) java.lang.reflect.Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> method.getName().equals("getQueryParameters") ? new MultivaluedHashMap<String, String>() : null);
    }
}
