package be.idsvc.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves the WAR's {@code /static/} files (the pages' stylesheet, the readout page's script) the same
 * way on every container. The containers' own default servlets differ when mapped to
 * {@code /static/*}: Tomcat's looks up servlet path + path info ({@code /static/idsvc.css}),
 * Undertow's (WildFly) only the path info ({@code /idsvc.css}), so on WildFly every file was a 404.
 * The files are read once at start-up; only {@code name.css} and {@code name.js} are served.
 */
public final class StaticFiles extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("/static/([a-z0-9][a-z0-9-]*\\.(css|js))");
    private static final Map<String, String> TYPES = Map.of("css", "text/css;charset=UTF-8", "js", "text/javascript;charset=UTF-8");

    private final Map<String, byte[]> files = new HashMap<>();

    @Override
    public void init() throws ServletException {
        Set<String> paths = getServletContext().getResourcePaths("/static/");
        if (paths == null) return;
        for (String path : paths) {
            if (!NAME.matcher(path).matches()) continue;
            try (InputStream in = getServletContext().getResourceAsStream(path)) {
                if (in != null) files.put("/" + path.substring("/static/".length()), in.readAllBytes());
            } catch (IOException e) {
                throw new ServletException("cannot read " + path + " from the WAR", e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo();
        byte[] body = name == null ? null : files.get(name);
        if (body == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Matcher m = NAME.matcher("/static" + name);
        resp.setContentType(m.matches() ? TYPES.get(m.group(2)) : "application/octet-stream");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
