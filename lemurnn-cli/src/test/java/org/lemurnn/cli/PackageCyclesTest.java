package org.lemurnn.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the project's main classes need each other, directly or around a circle: a
 * reader can learn the packages bottom up, and a package can be moved or split without dragging its
 * circle along. Run here because lemurnn-cli's class path holds every module's main classes but
 * lemurnn-bench's, which is one package nothing depends on.
 */
class PackageCyclesTest {
  @Test
  void mainPackagesFormNoCycle() {
    JavaClasses main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.lemurnn");
    // an empty or partial class path would pass without proving anything
    assertThat(main.stream().map(JavaClass::getPackageName).collect(Collectors.toSet()))
        .contains(
            "org.lemurnn.link",
            "org.lemurnn.infer",
            "org.lemurnn.train.run",
            "org.lemurnn.emulate",
            "org.lemurnn.measure.probe",
            "org.lemurnn.net",
            "org.lemurnn.cli",
            "org.lemurnn.testkit");
    slices().matching("org.lemurnn.(**)").should().beFreeOfCycles().check(main);
  }
}
