package be.idsvc.oidc;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;

import org.h2.jdbcx.JdbcDataSource;

import be.idsvc.admin.DemoHome;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.TestClock;
import be.idsvc.core.Secrets;
import be.idsvc.app.ServiceComponents;
import jakarta.servlet.http.HttpServletRequest;

/** The mtls deployment's components on a fresh demo home and an in-memory H2 store, without a server. */
final class MtlsEndpointsFixture {
    final Path home;
    final DemoHome.Result demo;
    final ServiceComponents c;
    /** The components' time: a test moves it to let a watched directory re-read, instead of sleeping. */
    final TestClock clock = new TestClock();

    MtlsEndpointsFixture(Path dir) {
        home = dir.resolve("home");
        demo = DemoHome.create(new DemoHome.Options(home, dir.resolve("demo")), new PrintStream(new ByteArrayOutputStream()));
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + Secrets.newHandle() + ";DB_CLOSE_DELAY=-1");
        c = new ServiceComponents(DeploymentRole.MTLS, ServiceHome.at(home), ds, clock);
    }

    /**
     * A request whose client certificate the (absent) MutualTlsRequiredFilter resolved to
     * {@code chain}: the endpoints read it through ClientCertificates.of.
     */
    static HttpServletRequest requestWith(X509Certificate... chain) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("be.idsvc.client-certificate", chain);
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "request";
                    case "getHeaders" -> java.util.Collections.emptyEnumeration();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
