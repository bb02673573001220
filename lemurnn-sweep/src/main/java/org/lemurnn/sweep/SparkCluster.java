package org.lemurnn.sweep;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.lemurnn.cli.Cluster;

/**
 * lemurnn's {@link Cluster} on Apache Spark ({@code evaluate --master}): the items as the tasks of
 * one Spark job, a partition each, on the cluster or in Spark's local mode, configured as a sweep's
 * (the executors run lemurnn's installation). Found by the ServiceLoader (META-INF/services) on
 * this module's class path.
 */
public final class SparkCluster implements Cluster {
  @Override
  public <T extends Serializable, R extends Serializable> List<R> map(
      String master, String job, List<T> items, Task<T, R> task) {
    if (items.isEmpty()) return List.of();
    try (JavaSparkContext spark = new JavaSparkContext(SparkSweep.conf(job, master))) {
      spark.setLogLevel("WARN");
      return spark.parallelize(items, items.size()).map(task::run).collect();
    }
  }
}
