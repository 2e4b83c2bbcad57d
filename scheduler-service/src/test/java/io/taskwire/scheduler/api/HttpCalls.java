package io.taskwire.scheduler.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.taskwire.messages.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The HTTP API as a client in any language calls it: JSON text in, JSON text out. */
final class HttpCalls {

    private final TestRestTemplate http;

    HttpCalls(TestRestTemplate http) {
        this.http = http;
    }

    ResponseEntity<String> post(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, HttpMethod.POST, new HttpEntity<>(json, headers), String.class);
    }

    ResponseEntity<String> put(String path, String json) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return http.exchange(path, HttpMethod.PUT, new HttpEntity<>(json, headers), String.class);
    }

    ResponseEntity<String> delete(String path) {
        return http.exchange(path, HttpMethod.DELETE, HttpEntity.EMPTY, String.class);
    }

    ResponseEntity<String> post(String path) {
        return http.exchange(path, HttpMethod.POST, HttpEntity.EMPTY, String.class);
    }

    ResponseEntity<String> get(String path) {
        return http.getForEntity(path, String.class);
    }

    static <T> T read(ResponseEntity<String> response, Class<T> type) {
        return Json.read(response.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    static <T> T read(ResponseEntity<String> response, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(response.getBody(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(ResponseEntity<String> response) {
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a submission of the given type whose payload is {"n": n} */
    static String spec(String type, int n) {
        return "{\"type\":\"" + type + "\",\"payload\":{\"n\":" + n + "}}";
    }
}
