package org.lemurnn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lemurnn.testkit.TestData;

/**
 * Every command the README and docs/ show runs, so that they stay true. A fenced block is either
 * {@code sh} (commands, each run here) or {@code text} (synopses with placeholders, output,
 * pictures; not run); a fence without one of them fails, so that nothing escapes by accident.
 *
 * <p>Each page's commands run in order, by bash, in a folder of their own that holds
 * {@code testdata} and {@code tools} of this checkout and a {@code ./lemurnn} that starts this
 * build (test classpath), so a page can measure, then train, then evaluate what it trained. A
 * command ending in a marker {@code # needs: WHAT[, WHAT]; test with --OPTION VALUE ...} needs what
 * it names: {@code root} (run as root, {@code sudo} dropped; skipped otherwise), {@code minutes}
 * (run only with the smaller sizes {@code test with} gives, which replace the command's values;
 * skipped without them), {@code reference} (the reference data beside the checkout,
 * {@code ../shared/reference}; skipped without it). A skipped command says why.
 */
class DocsCommandsTest {
  private static final Path ROOT = TestData.projectRoot();
  private static final String MARKER = "# needs:";
  /**
   * A command's own limit: the slow ones are marked and run with small sizes. Generous: a budget's
   * first pretraining epoch, which it runs however short the budget, took minutes on the shared
   * machine under a load of 30.
   */
  private static final long TIMEOUT_SECONDS = 900;

  @TempDir
  static Path sandboxes;

  /** A shown command: where it is, what it says, what its marker needs. */
  record Shown(Path page, int line, String command, List<String> needs, List<String> testWith) {
    String where() {
      return ROOT.relativize(page) + ":" + line;
    }
  }

  @TestFactory
  Stream<DynamicNode> everyShownCommandRuns() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path page : pages) {
      List<Shown> shown = commands(page);
      Path sandbox = sandboxes.resolve(page.getFileName().toString());
      nodes.add(DynamicContainer.dynamicContainer(
          ROOT.relativize(page).toString(),
          shown.stream()
              .map(s -> DynamicTest.dynamicTest(
                  s.where() + "  " + abbreviate(s.command()), () -> run(s, sandbox)))));
    }
    return nodes.stream();
  }

  /**
   * The commands of a page's {@code sh} blocks; fails on a fence that names neither sh nor text.
   */
  static List<Shown> commands(Path page) throws IOException {
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    List<Shown> out = new ArrayList<>();
    boolean inBlock = false, runnable = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i), fence = line.strip();
      if (fence.startsWith("```")) {
        if (inBlock) {
          inBlock = false;
          continue;
        }
        String language = fence.substring(3).strip();
        assertThat(language)
            .as("%s:%d: a fenced block says sh (commands, run by this test) or text", page, i + 1)
            .isIn("sh", "text");
        inBlock = true;
        runnable = language.equals("sh");
        continue;
      }
      if (!inBlock || !runnable || line.isBlank() || line.strip().startsWith("#")) continue;
      int first = i;
      StringBuilder command = new StringBuilder();
      while (line.endsWith("\\") && i + 1 < lines.size()) {
        command.append(line, 0, line.length() - 1).append(' ');
        line = lines.get(++i);
      }
      command.append(line);
      out.add(parse(page, first + 1, command.toString()));
    }
    assertThat(inBlock).as("%s: a fenced block is not closed", page).isFalse();
    return out;
  }

  static Shown parse(Path page, int line, String text) {
    int marker = text.indexOf(MARKER);
    if (marker < 0) return new Shown(page, line, stripComment(text), List.of(), List.of());
    String command = text.substring(0, marker).strip();
    String[] parts = text.substring(marker + MARKER.length()).split(";", 2);
    List<String> needs = new ArrayList<>();
    for (String need : parts[0].split(",")) {
      String what = need.strip().split("[ (]", 2)[0];
      assertThat(what)
          .as("%s:%d: needs root, minutes or reference", page, line)
          .isIn("root", "minutes", "reference");
      needs.add(what);
    }
    List<String> testWith = List.of();
    if (parts.length > 1) {
      String with = parts[1].strip();
      assertThat(with)
          .as("%s:%d: after ';' comes 'test with --OPTION VALUE ...'", page, line)
          .startsWith("test with ");
      testWith = List.of(with.substring("test with ".length()).strip().split("\\s+"));
    }
    return new Shown(page, line, command, needs, testWith);
  }

  /** A command without marker may still end in a comment saying what it does. */
  private static String stripComment(String text) {
    int hash = text.indexOf(" #");
    return (hash < 0 ? text : text.substring(0, hash)).strip();
  }

  private static void run(Shown shown, Path sandbox) throws Exception {
    String command = shown.command();
    if (command.equals("./test"))
      Assumptions.abort("./test is this suite itself: " + shown.where());
    if (shown.needs().contains("root")) {
      Assumptions.assumeTrue(
          isRoot(), "needs root (" + shown.where() + "): run ./test as root to run it");
      command = command.replaceFirst("^sudo ", "");
    }
    if (shown.needs().contains("reference"))
      Assumptions.assumeTrue(
          Files.isDirectory(ROOT.resolveSibling("shared").resolve("reference")),
          "needs ../shared/reference beside the checkout (" + shown.where() + ")");
    if (shown.needs().contains("minutes")) {
      Assumptions.assumeTrue(
          !shown.testWith().isEmpty(),
          "takes minutes and gives no smaller sizes to test with (" + shown.where() + ")");
      command = withValues(command, shown.testWith());
    }
    assertThat(command)
        .as("%s: a shown command is ./lemurnn ... (others need a marker)", shown.where())
        .startsWith("./lemurnn ");
    prepare(sandbox);
    Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + command)
        .directory(sandbox.toFile())
        .redirectErrorStream(true)
        .redirectOutput(sandbox.resolve("last-output.txt").toFile())
        .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(shown.where() + ": still running after " + TIMEOUT_SECONDS
          + " s; mark it '# needs: minutes; test with ...' with smaller sizes: " + command);
    }
    String output = Files.readString(sandbox.resolve("last-output.txt"));
    assertThat(p.exitValue())
        .as("%s: %s%n%s", shown.where(), command, tail(output))
        .isZero();
  }

  /** The command with each {@code --option value} of {@code testWith} replacing its own value. */
  static String withValues(String command, List<String> testWith) {
    String out = command;
    for (int k = 0; k + 1 < testWith.size(); k += 2) {
      String option = testWith.get(k), value = testWith.get(k + 1);
      String pattern = "(?<=\\s)" + java.util.regex.Pattern.quote(option) + "([ =])\\S+";
      String replaced = out.replaceFirst(pattern, option + "$1" + value);
      out = replaced.equals(out) && !out.contains(option + " " + value)
          ? out + " " + option + " " + value
          : replaced;
    }
    return out;
  }

  /** The sandbox: this checkout's test data and tools, and ./lemurnn running this build. */
  private static void prepare(Path sandbox) throws IOException {
    if (Files.exists(sandbox.resolve("lemurnn"))) return;
    Files.createDirectories(sandbox);
    for (String shared : List.of("testdata", "tools"))
      Files.createSymbolicLink(sandbox.resolve(shared), ROOT.resolve(shared));
    // a page says ../shared/reference as a user beside the checkout would: the sandboxes' parent
    // gets the same neighbour
    Path reference = ROOT.resolveSibling("shared");
    Path besideSandbox = sandbox.resolveSibling("shared");
    if (Files.isDirectory(reference) && Files.notExists(besideSandbox, LinkOption.NOFOLLOW_LINKS))
      Files.createSymbolicLink(besideSandbox, reference);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String launcher = "#!/usr/bin/env bash\n"
        + "exec '" + java
        + "' '@" + ROOT.resolve("jvm-options") + "' -XX:+UseSerialGC -Xmx512m"
        + " -cp '" + System.getProperty("java.class.path") + "' org.lemurnn.cli.Main \"$@\"\n";
    Path script = sandbox.resolve("lemurnn");
    Files.writeString(script, launcher);
    script.toFile().setExecutable(true);
  }

  private static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
          .strip()
          .equals("0");
    } catch (IOException e) {
      return false;
    }
  }

  private static String abbreviate(String command) {
    return command.length() <= 90 ? command : command.substring(0, 87) + "...";
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
  }
}
