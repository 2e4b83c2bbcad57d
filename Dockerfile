# One image per service: docker build --build-arg SERVICE=scheduler-service . (or worker-service).
# Build the jars first (mvn -B -DskipTests package); the image takes <service>/target/*-exec.jar.
#
# BASE_IMAGE must provide a Java 17 runtime as `java` on the PATH, sh, bash, sleep (the Helm chart's
# preStop with several schedulers) and useradd;
# substitute your own (a mirror, a hardened JRE) with --build-arg BASE_IMAGE=...
ARG BASE_IMAGE=eclipse-temurin:17-jre

FROM ${BASE_IMAGE} AS layers
ARG SERVICE
WORKDIR /build
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar app.jar
# Spring Boot's layers, least likely to change first: a code change rebuilds only the last layer
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM ${BASE_IMAGE}
ARG SERVICE
LABEL org.opencontainers.image.title="taskwire-${SERVICE}" \
      org.opencontainers.image.description="Taskwire ${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# a fixed numeric uid, so that Kubernetes' runAsNonRoot can check it; group 0 for OpenShift's
# arbitrary uids
RUN useradd --system --uid 10001 --gid 0 --home-dir /app --no-create-home --shell /usr/sbin/nologin taskwire
WORKDIR /app
COPY docker/taskwire-health /usr/local/bin/taskwire-health
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# the scheduler's embedded task store keeps its files here (mount a volume on it to keep them)
RUN mkdir taskwire-data && chown 10001:0 taskwire-data && chmod 0770 taskwire-data
USER 10001:0
# Heap (half) and direct buffers (at most 128 MiB) sized within the container's memory limit, not
# the host's, leaving room for the rest of the JVM; exit on OutOfMemoryError
# so the orchestrator restarts a clean JVM. Replace JAVA_OPTS to tune; arguments after the image
# name go to Spring (--taskwire.worker.slots=8).
ENV JAVA_OPTS="-XX:MaxRAMPercentage=50.0 -XX:InitialRAMPercentage=25.0 -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError" \
    SPRING_CONFIG_ADDITIONAL_LOCATION="optional:file:/config/"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher \"$@\"", "taskwire"]
