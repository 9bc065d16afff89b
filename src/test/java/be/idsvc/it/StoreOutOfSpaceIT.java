package be.idsvc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import be.idsvc.it.Flows.CodeAndAuth;
import be.idsvc.testclient.Browser;
import be.idsvc.testclient.RelyingParty;

/**
 * Issue 20: the embedded store on a file system that fills up or turns read-only, for real: the
 * store directory of a Tomcat 10.1 of its own ({@link OwnTomcat#h2}, ports 21911-21913) is a 16 MiB
 * ext4 on a loop device ({@code errors=remount-ro}), which the test fills with a file, and later
 * turns read-only as the kernel does on a file-system error ({@code /sys/fs/ext4/<dev>/trigger_fs_error}).
 * Every answer is then 503 with Retry-After (the OAuth error {@code temporarily_unavailable}, or the
 * error page), never a 500 and never a token; readiness says the store is down and the log says
 * why. Once space returns the service recovers by itself, with everything it acknowledged
 * intact; after a read-only file system it recovers once an operator has checked and mounted it
 * again and restarted the server, with everything that had reached the disk intact (the kernel
 * drops what it had not written back when a file system fails: that part is a power loss). Needs root and a loop device (mount); a machine without them fails
 * this test rather than skip it. Tomcat 10.1 only: the behaviour is H2's and the pool's.
 */
class StoreOutOfSpaceIT {
    private static OwnTomcat s;
    private static Path store;
    private static Path image;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Path.of(System.getProperty("idsvc.project.dir", ".")).toAbsolutePath().normalize().resolve("target/it/tomcat-full");
        unmountIfMounted(dir.resolve("home/store")); // left by an aborted run
        s = OwnTomcat.h2("tomcat-full", 21911);
        store = s.home().resolve("store");
        image = dir.resolve("store.img");
        Files.deleteIfExists(image);
        run("truncate", "-s", "16M", image.toString());
        run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
        Files.createDirectories(store);
        mount();
        Runtime.getRuntime().addShutdownHook(new Thread(StoreOutOfSpaceIT::stopAll, "tomcat-full-it-stop"));
        s.start();
    }

    private static void mount() throws Exception {
        run("mount", "-o", "loop,errors=remount-ro", image.toString(), store.toString());
    }

    private static void unmountIfMounted(Path dir) throws Exception {
        if (Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(l -> l.split(" ")[1].equals(dir.toString()))) {
            run("umount", "-l", dir.toString());
        }
    }

    @AfterAll
    static void stopAll() {
        try {
            if (s != null && s.isRunning()) s.stop();
        } catch (RuntimeException e) {
            System.err.println("stopping Tomcat: " + e.getMessage());
        }
        try {
            if (store != null) unmountIfMounted(store);
        } catch (Exception e) {
            System.err.println("umount " + store + ": " + e.getMessage());
        }
    }

    @Test
    void aFullAndAReadOnlyStoreAnswer503AndTheServiceRecoversByItself() throws Exception {
        RelyingParty rp = Flows.demoClient(s);
        String before = (String) Flows.tokens(s, rp, "openid profile").get("access_token");
        CodeAndAuth pending = Flows.code(s, rp, "openid");
        assertEquals(200, ready().statusCode());

        Path filler = store.resolve("filler");
        fill(filler);
        assertStoreRefusesWrites(rp, pending, "No space left on device");

        Files.delete(filler);
        awaitReady();
        assertEquals(200, rp.userinfo(before).statusCode(), "a token issued before the disk filled up is lost");
        HttpResponse<String> late = rp.token(pending.code(), pending.auth().verifier());
        assertEquals(200, late.statusCode(), "the code whose redemption failed is still good: " + late.body());
        assertEquals(200, rp.userinfo((String) RelyingParty.json(late.body()).get("access_token")).statusCode());
        assertTrue(s.log().contains("readiness: the store takes writes again"), "recovery is not in the log");

        assertNoServerError();

        String beforeReadOnly = (String) Flows.tokens(s, rp, "openid").get("access_token");
        CodeAndAuth pending2 = Flows.code(s, rp, "openid");
        // A file system that fails drops what the kernel had not yet written back, as a power loss
        // does (H2 never fsyncs; README "What survives what"): the test proves what reached the
        // disk, so it has the kernel write back first.
        run("sync", "-f", store.toString());
        String device = Path.of(findmnt(store)).getFileName().toString();
        Files.writeString(Path.of("/sys/fs/ext4", device, "trigger_fs_error"), "StoreOutOfSpaceIT");
        assertStoreRefusesWrites(rp, pending2, "Read-only file system");
        assertNoServerError();

        // what an operator does after a file-system error: stop, check and mount again, start
        s.stop();
        run("umount", store.toString());
        runAllowing(1, "e2fsck", "-p", "-f", image.toString()); // 1: errors corrected
        mount();
        s.start();
        awaitReady();
        assertEquals(200, rp.userinfo(before).statusCode());
        assertEquals(200, rp.userinfo(beforeReadOnly).statusCode(), "a token issued before the store turned read-only is lost");
        HttpResponse<String> late2 = rp.token(pending2.code(), pending2.auth().verifier());
        assertEquals(200, late2.statusCode(), "the code whose redemption failed is still good: " + late2.body());
    }

    private static void assertNoServerError() {
        assertEquals(List.of(), s.log().lines().filter(l -> l.contains("SEVERE") || l.contains("unexpected error")).toList());
    }

    private static String findmnt(Path dir) throws Exception {
        Process p = new ProcessBuilder("findmnt", "-n", "-o", "SOURCE", "--target", dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.startsWith("/dev/loop")) {
            throw new IllegalStateException("no loop device under " + dir + ": " + out);
        }
        return out;
    }

    /** Redemption and readiness fail with 503, and the log says what is wrong. */
    private static void assertStoreRefusesWrites(RelyingParty rp, CodeAndAuth pending, String reason) throws Exception {
        // H2 finds out at its next write (until then reads succeed, and free space inside its file can
        // take a few commits): readiness writes until one fails
        long deadline = System.currentTimeMillis() + 30_000;
        while (ready().statusCode() == 200) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("the store still takes writes after 30 s");
            Thread.sleep(100);
        }
        HttpResponse<String> token = rp.token(pending.code(), pending.auth().verifier());
        assertEquals(503, token.statusCode(), "a redemption on a store that cannot write: " + token.body());
        assertEquals("temporarily_unavailable", RelyingParty.json(token.body()).get("error"));
        assertEquals("5", token.headers().firstValue("Retry-After").orElse(null));

        // a new flow writes nothing until the person acts (sealed flows, issue 13): /authorize still
        // answers; the store is first needed when the person is identified
        HttpResponse<String> page = new Browser(s.sslContextWithoutClientCert()).get(rp.authorization("openid").url());
        assertEquals(303, page.statusCode(), page.body());

        HttpResponse<String> ready = ready();
        assertEquals(503, ready.statusCode(), ready.body());
        assertEquals(Map.of("status", "unavailable", "role", "public", "store", "down"), RelyingParty.json(ready.body()));
        String log = s.log();
        assertTrue(log.contains("answering 503: store unavailable") && log.contains(reason), "the log does not say: " + reason);
        assertTrue(log.contains("readiness: the store takes no writes"), "readiness did not log the store going down");
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) throw e;
        }
    }

    private static HttpResponse<String> ready() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(s.sslContextWithoutClientCert()).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = s.publicBase().resolve("/health/ready");
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (ready().statusCode() != 200) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("the store did not recover within 30 s: " + ready().body());
            Thread.sleep(200);
        }
    }

    private static void run(String... cmd) throws Exception {
        runAllowing(0, cmd);
    }

    private static void runAllowing(int maxExit, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() > maxExit) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out + " (the test needs root to mount a tmpfs)");
        }
    }
}
