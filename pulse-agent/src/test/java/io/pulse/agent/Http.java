package io.pulse.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A small HTTP client for the tests (the module does not read java.net.http). */
final class Http {

    /** A response: status, one header lookup, the body as text. */
    record Response(int statusCode, Map<String, java.util.List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return "";
        }
    }

    private Http() {
    }

    static Response get(String url) throws IOException {
        return request("GET", url, null);
    }

    /** Sends {@code method} to {@code url}, with an {@code Authorization} header if not null. */
    static Response request(String method, String url, String authorization) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(30_000);
        c.setReadTimeout(30_000);
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        if (method.equals("POST") || method.equals("PUT")) {
            c.setDoOutput(true);
            c.getOutputStream().write("{}".getBytes(StandardCharsets.UTF_8));
        }
        try {
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(code, c.getHeaderFields(), body);
        } finally {
            c.disconnect();
        }
    }
}
