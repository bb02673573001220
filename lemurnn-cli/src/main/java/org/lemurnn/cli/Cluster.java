package org.lemurnn.cli;

import java.io.Serializable;
import java.util.List;
import java.util.ServiceLoader;
import org.lemurnn.InputException;

/**
 * A cluster that runs a task per item ({@code evaluate --master}): Apache Spark, which the
 * lemurnn-sweep module brings. Found through the {@link ServiceLoader}, so that this module neither
 * depends on Spark nor loads it: the commands run without it unless {@code --master} is given, and
 * then {@code ./lemurnn} starts them on lemurnn-sweep's class path.
 */
public interface Cluster {
  /** A task's work on one item; sent to the cluster's JVMs, so it and what it holds serialize. */
  @FunctionalInterface
  interface Task<T, R> extends Serializable {
    R run(T item);
  }

  /**
   * {@code task} on every item, a task per item, on the cluster whose master is {@code master}
   * ({@code spark://HOST:PORT}, or {@code local[N]}: N threads of this process); the results in the
   * items' order. {@code job} names the work in the cluster's lists.
   */
  <T extends Serializable, R extends Serializable> List<R> map(
      String master, String job, List<T> items, Task<T, R> task);

  /** The cluster on this class path; refused, saying how to start one, when there is none. */
  static Cluster find(String option) {
    return ServiceLoader.load(Cluster.class)
        .findFirst()
        .orElseThrow(() -> new InputException(option + " runs on the class path of the"
            + " lemurnn-sweep module (Apache Spark), which this one is not: start it with ./lemurnn,"
            + " which does when " + option + " is given"));
  }
}
