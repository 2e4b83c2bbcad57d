package io.taskwire.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast timestamp path reads and writes exactly what Jackson's JavaTimeModule does. */
class IsoInstantsTest {

    private static final ObjectMapper JACKSON_ONLY = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void writesTheTextOfIsoInstantForEveryKindOfFraction() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = randomInstant(random);
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertThat(IsoInstants.format(instant)).isEqualTo(text);
            assertThat(IsoInstants.parse(text)).isEqualTo(instant);
            assertThat(Json.write(instant)).isEqualTo(write(JACKSON_ONLY, instant));
        }
    }

    @Test
    void leavesOtherFormsToJacksonWithTheSameResults() throws Exception {
        String[] others = {"2024-02-29T23:59:59.5z", "2024-01-01t00:00:00Z", " 2024-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00Z", "1700000000",
                "2024-01-01T00:00:60Z", "2024-01-01T24:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
                "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00+01:00", "", "x"};
        for (String text : others) {
            assertThat(IsoInstants.parse(text)).as(text).isNull();
            String json = "\"" + text + "\"";
            Object expected = outcome(JACKSON_ONLY, json);
            Object actual = outcome(Json.mapper(), json);
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }

    @Test
    void outOfRangeYearsAreWrittenByJackson() {
        Instant far = Instant.parse("+12345-06-07T08:09:10.000000001Z");

        assertThat(IsoInstants.format(far)).isNull();
        assertThat(Json.write(far)).isEqualTo("\"+12345-06-07T08:09:10.000000001Z\"");
    }

    @Test
    void messagesUseTheFastPathForEachTimestampProperty() throws Exception {
        BeanSerializerBase results = (BeanSerializerBase) Json.mapper().getSerializerProviderInstance()
                .findValueSerializer(TaskResult.class);
        List<Class<?>> serializers = new ArrayList<>();
        results.properties().forEachRemaining(property -> {
            if (property.getType().getRawClass() == Instant.class) {
                serializers.add(((BeanPropertyWriter) property).getSerializer().getClass());
            }
        });
        DeserializationContext context = ((DefaultDeserializationContext) Json.mapper().getDeserializationContext())
                .createInstance(Json.mapper().getDeserializationConfig(), null, null);
        BeanDeserializerBase assignments = (BeanDeserializerBase) context.findRootValueDeserializer(
                Json.mapper().constructType(TaskAssignment.class));

        assertThat(serializers).hasSize(2).containsOnly(IsoInstantModule.Serializer.class);
        assertThat(assignments.findProperty("deadline").getValueDeserializer())
                .isInstanceOf(IsoInstantModule.Deserializer.class);
    }

    @Test
    void aBadTimestampStillNamesTheField() {
        assertThatThrownBy(() -> Json.read(("{\"taskId\":\"t\",\"attempt\":1,\"type\":\"echo\",\"payload\":{},"
                + "\"deadline\":\"2024-13-01T00:00:00Z\",\"fence\":\"1:1\"}").getBytes(), TaskAssignment.class))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("deadline");
    }

    private static Object outcome(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Instant.class);
        } catch (Exception e) {
            return e.getClass();
        }
    }

    private static String write(ObjectMapper mapper, Instant instant) {
        try {
            return mapper.writeValueAsString(instant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant randomInstant(Random random) {
        long seconds = YEAR_0 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0));
        int kind = random.nextInt(4);
        int nanos = kind == 0 ? 0 : kind == 1 ? random.nextInt(1_000) * 1_000_000
                : kind == 2 ? random.nextInt(1_000_000) * 1_000 : random.nextInt(1_000_000_000);
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
