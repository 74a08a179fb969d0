package ossidecar.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToxicTest {

    private static JsonNode json(String s) throws Exception {
        return ApiResponse.MAPPER.readTree(s);
    }

    @Test
    void createAppliesToxiproxyDefaultsAndEchoesEveryAttribute() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"type\":\"latency\"}"));
        assertEquals("latency_downstream", t.name());
        assertEquals(Direction.DOWNSTREAM, t.stream());
        assertEquals(1f, t.toxicity());
        assertEquals("{\"attributes\":{\"latency\":0,\"jitter\":0},\"name\":\"latency_downstream\","
                + "\"type\":\"latency\",\"stream\":\"downstream\",\"toxicity\":1}", t.toJson().toString());
    }

    @Test
    void everyTypeEchoesItsFullAttributeSet() throws Exception {
        String[][] expected = {
            {"latency", "{\"latency\":0,\"jitter\":0}"},
            {"bandwidth", "{\"rate\":0}"},
            {"slow_close", "{\"delay\":0}"},
            {"timeout", "{\"timeout\":0}"},
            {"reset_peer", "{\"timeout\":0}"},
            {"slicer", "{\"average_size\":0,\"size_variation\":0,\"delay\":0}"},
            {"limit_data", "{\"bytes\":0}"},
            {"noop", "{}"},
        };
        for (String[] e : expected) {
            Toxic t = Toxic.fromCreateJson(json("{\"type\":\"" + e[0] + "\",\"stream\":\"upstream\"}"));
            assertEquals(e[1], t.toJson().get("attributes").toString(), e[0]);
            assertEquals(e[0] + "_upstream", t.name());
        }
    }

    @Test
    void createTakesNameStreamToxicityAndAttributesIgnoringUnknownOnes() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"name\":\"slow\",\"type\":\"slicer\",\"stream\":\"upstream\","
                + "\"toxicity\":0.25,\"extra\":true,\"attributes\":{\"average_size\":100,\"delay\":5,\"bogus\":1}}"));
        assertEquals("slow", t.name());
        assertEquals(Direction.UPSTREAM, t.stream());
        assertEquals("{\"attributes\":{\"average_size\":100,\"size_variation\":0,\"delay\":5},\"name\":\"slow\","
                + "\"type\":\"slicer\",\"stream\":\"upstream\",\"toxicity\":0.25}", t.toJson().toString());
    }

    @Test
    void createRejectsWithToxiproxyMessages() {
        ApiException stream = assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"latency\",\"stream\":\"sideways\"}")));
        assertEquals(400, stream.status());
        assertEquals("stream was invalid, can be either upstream or downstream", stream.getMessage());

        ApiException type = assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"lag\"}")));
        assertEquals(400, type.status());
        assertEquals("invalid toxic type", type.getMessage());

        ApiException missingType = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(json("{}")));
        assertEquals("invalid toxic type", missingType.getMessage());

        ApiException badAttr = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(
                json("{\"type\":\"latency\",\"attributes\":{\"latency\":\"100\"}}")));
        assertEquals(400, badAttr.status());
        assertEquals(true, badAttr.getMessage().startsWith("bad request body: "), badAttr.getMessage());

        ApiException notObject = assertThrows(ApiException.class, () -> Toxic.fromCreateJson(json("[1]")));
        assertEquals(true, notObject.getMessage().startsWith("bad request body: "), notObject.getMessage());
    }

    @Test
    void updateMergesOnlyGivenAttributesAndToxicity() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"name\":\"l\",\"type\":\"latency\","
                + "\"attributes\":{\"latency\":100,\"jitter\":10}}"));
        Toxic u = t.withUpdateJson(json("{\"attributes\":{\"latency\":250},\"name\":\"ignored\","
                + "\"stream\":\"upstream\",\"type\":\"timeout\"}"));
        assertEquals("l", u.name());
        assertEquals(ToxicType.LATENCY, u.type());
        assertEquals(Direction.DOWNSTREAM, u.stream());
        assertEquals(250, u.attribute("latency"));
        assertEquals(10, u.attribute("jitter"));
        assertEquals(1f, u.toxicity());

        Toxic v = u.withUpdateJson(json("{\"toxicity\":0.5}"));
        assertEquals(0.5f, v.toxicity());
        assertEquals(250, v.attribute("latency"));
        assertEquals(10, v.attribute("jitter"));
    }

    @Test
    void integralFloatsAreAcceptedFractionsAreNot() throws Exception {
        Toxic t = Toxic.fromCreateJson(json("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":50.0}}"));
        assertEquals(50, t.attribute("rate"));
        assertThrows(ApiException.class,
                () -> Toxic.fromCreateJson(json("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":50.5}}")));
    }

    @Test
    void typeAttributeOrderMatchesToxiproxy() {
        assertEquals(List.of("average_size", "size_variation", "delay"), ToxicType.SLICER.attributes());
        assertEquals(ToxicType.RESET_PEER, ToxicType.parse("reset_peer"));
        assertEquals(null, ToxicType.parse("Latency"));
        assertEquals(null, Direction.parse("Upstream"));
    }
}
