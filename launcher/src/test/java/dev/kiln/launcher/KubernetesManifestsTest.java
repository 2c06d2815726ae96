package dev.kiln.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/kubernetes, checked without a cluster: every document is a named object of a known kind,
 * workloads' selectors match their pods, every Kiln container's arguments parse as `kiln` options
 * (a renamed flag breaks this test, not a deployment), services reach a container port, the cache
 * members list matches the StatefulSet, the worker keeps the sandbox's security context and drain
 * time, and the autoscaler scales the worker Deployment on metrics the front node exports.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final Set<String> KINDS = Set.of("Service", "StatefulSet", "Deployment", "Job", "ScaledObject");

  private static List<JsonNode> documents() throws IOException {
    ObjectMapper yaml = new YAMLMapper();
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var parser = new YAMLFactory().createParser(f.toFile())) {
          for (var it = yaml.readValues(parser, JsonNode.class); it.hasNext(); ) {
            JsonNode doc = it.next();
            if (doc != null && !doc.isEmpty()) {
              out.add(doc);
            }
          }
        }
      }
    }
    return out;
  }

  private static List<JsonNode> ofKind(List<JsonNode> docs, String... kinds) {
    Set<String> wanted = Set.of(kinds);
    return docs.stream().filter(d -> wanted.contains(d.path("kind").asText())).toList();
  }

  private static JsonNode named(List<JsonNode> docs, String kind, String name) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<String> args(JsonNode container) {
    List<String> out = new ArrayList<>();
    container.path("args").forEach(a -> out.add(a.asText()));
    return out;
  }

  private static String option(List<String> args, String name) {
    return args.get(args.indexOf(name) + 1);
  }

  @Test
  void everyDocumentIsANamedObjectOfAKnownKind() throws IOException {
    List<JsonNode> docs = documents();
    assertThat(docs).hasSizeGreaterThanOrEqualTo(9);
    for (JsonNode d : docs) {
      assertThat(d.path("apiVersion").asText()).as(d.toString()).isNotEmpty();
      assertThat(KINDS).as(d.toString()).contains(d.path("kind").asText());
      assertThat(d.path("metadata").path("name").asText()).as(d.toString()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
  }

  @Test
  void workloadsSelectTheirOwnPodsAndTheirArgumentsParseAsKilnOptions() throws IOException {
    for (JsonNode w : ofKind(documents(), "StatefulSet", "Deployment", "Job")) {
      JsonNode labels = w.path("spec").path("template").path("metadata").path("labels");
      w.path("spec").path("selector").path("matchLabels").fields()
          .forEachRemaining(e -> assertThat(labels.path(e.getKey()).asText()).as(w.path("metadata").toString()).isEqualTo(e.getValue().asText()));
      for (JsonNode c : w.path("spec").path("template").path("spec").path("containers")) {
        assertThat(c.path("image").asText()).isEqualTo("kiln:dev");
        List<String> args = args(c);
        CommandLine.ParseResult parsed = new CommandLine(new KilnCli()).parseArgs(args.toArray(new String[0]));
        assertThat(parsed.hasSubcommand()).as(args.toString()).isTrue();
        assertThat(parsed.subcommand().unmatched()).as(args.toString()).isEmpty();
      }
    }
  }

  @Test
  void servicesReachAContainerPortOfThePodsTheySelect() throws IOException {
    List<JsonNode> docs = documents();
    for (JsonNode s : ofKind(docs, "Service")) {
      JsonNode selector = s.path("spec").path("selector");
      List<JsonNode> pods = ofKind(docs, "StatefulSet", "Deployment").stream()
          .map(w -> w.path("spec").path("template"))
          .filter(t -> { boolean[] all = {true};
            selector.fields().forEachRemaining(e -> all[0] &= t.path("metadata").path("labels").path(e.getKey()).asText().equals(e.getValue().asText()));
            return all[0]; })
          .toList();
      assertThat(pods).as("pods of service " + s.path("metadata").path("name")).hasSize(1);
      Set<Integer> ports = new HashSet<>();
      pods.get(0).path("spec").path("containers").forEach(c -> c.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt())));
      s.path("spec").path("ports").forEach(p -> assertThat(ports).contains(p.path("targetPort").asInt()));
    }
  }

  @Test
  void theCacheMembersAndTheWorkersSandboxFollowTheStatefulSetAndTheComposeFile() throws IOException {
    List<JsonNode> docs = documents();
    JsonNode cache = named(docs, "StatefulSet", "cache");
    String members = option(args(cache.path("spec").path("template").path("spec").path("containers").get(0)), "--members");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < cache.path("spec").path("replicas").asInt(); i++) {
      expected.add("cache-" + i + ".cache:5701");
    }
    assertThat(members).isEqualTo(String.join(",", expected));
    JsonNode worker = named(docs, "Deployment", "worker").path("spec").path("template").path("spec");
    JsonNode security = worker.path("containers").get(0).path("securityContext");
    assertThat(security.path("capabilities").path("add").toString()).contains("SYS_ADMIN");
    assertThat(security.path("seccompProfile").path("type").asText()).isEqualTo("Unconfined");
    assertThat(security.path("appArmorProfile").path("type").asText()).isEqualTo("Unconfined");
    assertThat(worker.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void theAutoscalerScalesTheWorkersOnTheFrontNodesBacklogMetrics() throws IOException {
    List<JsonNode> docs = documents();
    JsonNode scaler = named(docs, "ScaledObject", "worker");
    named(docs, "Deployment", scaler.path("spec").path("scaleTargetRef").path("name").asText());
    String query = scaler.path("spec").path("triggers").get(0).path("metadata").path("query").asText();
    assertThat(query).contains("kiln_actions_waiting", "kiln_actions_admitted");
    String frontNode = Files.readString(Path.of("..", "scheduler", "src", "main", "java", "dev", "kiln", "scheduler", "FrontNode.java"));
    assertThat(frontNode).contains("\"kiln.actions.waiting\"", "\"kiln.actions.admitted\"");
  }
}
