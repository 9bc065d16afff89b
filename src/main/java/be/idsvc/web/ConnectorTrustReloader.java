package be.idsvc.web;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.logging.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Asks the servlet container to reload the TLS trust of the connector that serves this deployment.
 * Tomcat: the JMX operation {@code reloadSslHostConfigs} of the protocol handlers of our engine,
 * whose name is the first part of {@code ServletContext.getVirtualServerName()} ("mtls/localhost").
 * WildFly: the management operations {@code load} of the Elytron key-store and {@code init} of the
 * trust-manager behind the mtls SSL context (names fixed by server-config/wildfly/configure.cli),
 * through the management model's JMX facade in the same MBean server.
 */
public final class ConnectorTrustReloader {
    private static final Logger LOG = Logger.getLogger(ConnectorTrustReloader.class.getName());
    static final String WILDFLY_KEY_STORE = "jboss.as:subsystem=elytron,key-store=idsvc-client-trust";
    static final String WILDFLY_TRUST_MANAGER = "jboss.as:subsystem=elytron,trust-manager=idsvc-client-trust";
    private final String engine;
    private boolean warned;

    public ConnectorTrustReloader(String virtualServerName) {
        int slash = virtualServerName == null ? -1 : virtualServerName.indexOf('/');
        this.engine = slash > 0 ? virtualServerName.substring(0, slash) : null;
    }

    /** True when at least one connector reloaded. */
    public boolean reload() {
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> handlers = engine == null || !engine.matches("[A-Za-z0-9_.-]+") ? Set.of()
                    : mbs.queryNames(new ObjectName(engine + ":type=ProtocolHandler,*"), null);
            for (ObjectName handler : handlers) {
                mbs.invoke(handler, "reloadSslHostConfigs", new Object[0], new String[0]);
            }
            if (!handlers.isEmpty()) return true;
            ObjectName keyStore = new ObjectName(WILDFLY_KEY_STORE);
            ObjectName trustManager = new ObjectName(WILDFLY_TRUST_MANAGER);
            if (mbs.isRegistered(keyStore) && mbs.isRegistered(trustManager)) {
                mbs.invoke(keyStore, "load", new Object[0], new String[0]);
                mbs.invoke(trustManager, "init", new Object[0], new String[0]);
                return true;
            }
        } catch (Exception e) {
            LOG.warning("reloading the connector's TLS trust failed: " + e);
            return false;
        }
        if (!warned) {
            warned = true;
            LOG.warning("this server offers no way to reload the mtls connector's trust (engine " + engine
                    + "); client CA and self-signed pin changes reach the TLS layer at the next restart");
        }
        return false;
    }
}
