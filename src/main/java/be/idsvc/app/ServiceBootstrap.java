package be.idsvc.app;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

import be.idsvc.clientauth.ClientAuthenticator;
import be.idsvc.clientauth.TokenBindingCheck;
import be.idsvc.config.ConfigurationException;
import be.idsvc.config.DeploymentRole;
import be.idsvc.config.ServiceClock;
import be.idsvc.config.ServiceHome;
import be.idsvc.config.ServiceSettings;
import be.idsvc.config.SigningKeys;
import be.idsvc.identify.BrowserFlow;
import be.idsvc.oidc.AuthorizeEndpoint;
import be.idsvc.oidc.ClientApiOnPublicHost;
import be.idsvc.oidc.ConsentPage;
import be.idsvc.oidc.DiscoveryEndpoint;
import be.idsvc.oidc.HealthEndpoint;
import be.idsvc.oidc.IntrospectionEndpoint;
import be.idsvc.oidc.RevocationEndpoint;
import be.idsvc.oidc.JwksEndpoint;
import be.idsvc.oidc.ReadoutPage;
import be.idsvc.oidc.SandboxIdentifyPage;
import be.idsvc.oidc.TokenEndpoint;
import be.idsvc.oidc.UserinfoEndpoint;
import be.idsvc.store.FlowStore;
import be.idsvc.store.PurgeSchedule;
import be.idsvc.store.StoreProbe;
import be.idsvc.token.AuthorizationCodeGrant;
import be.idsvc.web.ClientCertificates;
import be.idsvc.web.ConnectorTrustReloader;
import be.idsvc.web.ErrorMapper;
import be.idsvc.web.JaxRsJson;
import be.idsvc.web.MutualTlsRequiredFilter;
import be.idsvc.web.ProxyConnector;
import be.idsvc.web.RequestLimitsFilter;
import be.idsvc.web.SecurityHeadersFilter;
import be.idsvc.web.StaticFiles;
import be.idsvc.web.TlsTrustSync;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;

/**
 * Starts one deployment (the composition root: nothing else imports this package): reads its role
 * and the service home from the server configuration, builds the components, binds each of them
 * into Jersey by its type, and registers only the endpoints of that role, each of which declares in
 * its constructor just the components it uses. Any problem stops the deployment (fail closed) with
 * one log line that says what to fix.
 */
public final class ServiceBootstrap implements ServletContextListener {
    private static final Logger LOG = Logger.getLogger(ServiceBootstrap.class.getName());
    public static final String ROLE_JNDI_NAME = "idsvc/role";
    public static final String DATASOURCE_JNDI_NAME = "jdbc/idsvc";

    private ScheduledExecutorService housekeeping;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        try {
            DeploymentRole role = DeploymentRole.parse(lookupString(ROLE_JNDI_NAME));
            ServiceHome home = ServiceHome.locate(lookupString(ServiceHome.JNDI_NAME));
            DataSource ds = lookupDataSource();
            ServiceComponents c = new ServiceComponents(role, home, ds, ServiceClock.forHome(home));
            register(ctx, c);
            housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "idsvc-housekeeping-" + role.name().toLowerCase());
                t.setDaemon(true);
                return t;
            });
            // asked every second; the interval itself runs on the service's clock
            PurgeSchedule purges = new PurgeSchedule(c.clock, c.settings.purgeIntervalSeconds());
            housekeeping.scheduleWithFixedDelay(() -> {
                if (purges.due()) purge(c);
            }, 1, 1, TimeUnit.SECONDS);
            if (role == DeploymentRole.MTLS) {
                TlsTrustSync trust = new TlsTrustSync(home, new ConnectorTrustReloader(ctx.getVirtualServerName()));
                housekeeping.scheduleWithFixedDelay(() -> syncTrust(trust), 0, 1, TimeUnit.SECONDS);
            }
            LOG.info(() -> "Identification Service started: role " + role.name().toLowerCase() + ", issuer "
                    + c.settings.issuer() + ", service home " + home.dir());
        } catch (RuntimeException e) {
            LOG.severe("Identification Service deployment NOT started: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (housekeeping != null) housekeeping.shutdownNow();
    }

    private static void register(ServletContext ctx, ServiceComponents c) {
        ResourceConfig app = new ResourceConfig();
        app.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(c.role).to(DeploymentRole.class);
                bind(c.clock).to(Clock.class);
                bind(c.settings).to(ServiceSettings.class);
                bind(c.signingKeys).to(SigningKeys.class);
                bind(c.storeProbe).to(StoreProbe.class);
                bind(c.browserFlow).to(BrowserFlow.class);
                bind(c.clientAuthenticator).to(ClientAuthenticator.class);
                bind(c.tokenBinding).to(TokenBindingCheck.class);
                bind(c.codeGrant).to(AuthorizationCodeGrant.class);
                bind(c.store).to(FlowStore.class);
            }
        });
        app.register(ErrorMapper.class);
        JaxRsJson.register(app);
        app.register(HealthEndpoint.class);
        app.register(JwksEndpoint.class);
        if (c.role == DeploymentRole.PUBLIC) {
            app.register(AuthorizeEndpoint.class);
            app.register(SandboxIdentifyPage.class);
            app.register(ReadoutPage.class);
            app.register(ConsentPage.class);
            app.register(ClientApiOnPublicHost.class);
        } else {
            app.register(DiscoveryEndpoint.class);
            app.register(TokenEndpoint.class);
            app.register(UserinfoEndpoint.class);
            app.register(IntrospectionEndpoint.class);
            app.register(RevocationEndpoint.class);
        }
        // No WADL, no automatic OPTIONS bodies: the API surface is exactly the endpoints above.
        app.property("jersey.config.server.wadl.disableWadl", true);
        ServletRegistration.Dynamic jaxrs = ctx.addServlet("idsvc", new ServletContainer(app));
        jaxrs.addMapping("/*");
        jaxrs.setLoadOnStartup(1);
        ctx.addServlet("idsvc-static", new StaticFiles()).addMapping("/static/*");
        ctx.addFilter("security-headers", new SecurityHeadersFilter())
                .addMappingForUrlPatterns(java.util.EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
        ctx.addFilter("request-limits", new RequestLimitsFilter())
                .addMappingForUrlPatterns(java.util.EnumSet.of(DispatcherType.REQUEST), false, "/*");
        if (c.role == DeploymentRole.MTLS) {
            ProxyConnector proxy = ProxyConnector.parse(lookupString(ProxyConnector.JNDI_NAME));
            LOG.info(() -> c.settings.trustedProxies().isEmpty() || proxy == ProxyConnector.none()
                    ? "a forwarded Client-Cert header is believed nowhere (no " + ProxyConnector.JNDI_NAME + " or no proxy.trusted_addresses)"
                    : "a forwarded Client-Cert header is believed only on " + proxy + ", from proxy.trusted_addresses");
            ctx.addFilter("mutual-tls-required", new MutualTlsRequiredFilter(new ClientCertificates(c.settings.trustedProxies(), proxy)))
                    .addMappingForUrlPatterns(java.util.EnumSet.of(DispatcherType.REQUEST), true, "/*");
        }
    }

    private static void purge(ServiceComponents c) {
        try {
            int n = c.store.purgeExpired(c.now());
            // INFO: in a cluster this line is how an operator sees that every node takes its share
            if (n > 0) LOG.info(() -> "purged " + n + " expired records");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "purging expired records failed: " + e.getMessage());
        }
    }

    private static void syncTrust(TlsTrustSync trust) {
        try {
            trust.check();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep watching.
            LOG.log(Level.WARNING, "synchronising the TLS trust failed: " + e.getMessage());
        }
    }

    private static String lookupString(String name) {
        try {
            Object o = new InitialContext().lookup("java:comp/env/" + name);
            return o == null ? null : o.toString();
        } catch (NameNotFoundException e) {
            return null;
        } catch (NamingException e) {
            // No JNDI at all (plain servlet container without naming): same as not configured.
            return null;
        }
    }

    private static DataSource lookupDataSource() {
        try {
            return (DataSource) new InitialContext().lookup("java:comp/env/" + DATASOURCE_JNDI_NAME);
        } catch (NamingException | ClassCastException e) {
            throw new ConfigurationException("no DataSource at java:comp/env/" + DATASOURCE_JNDI_NAME
                    + ": link the shared store into this deployment (see server-config/)");
        }
    }
}
