package org.lemurnn.data;

import java.util.Locale;
import org.lemurnn.InputException;

/**
 * Whether a measured data set's links are fitted to its traces ({@link FittedLinks}) or read from
 * the files' names.
 */
public enum LinkFitting {
  /** The names' C and Q, taken at their word. */
  NEVER,
  /**
   * Fitted where the traces show a rate that varies (a rate process: a cellular link, cross
   * traffic), the names elsewhere: on the measured links of docs/results.md the fitted rate process
   * beat the names there, and a fitted constant link did not beat them (pfifo).
   */
  VARYING,
  /** Fitted, whatever the traces show. */
  ALWAYS;

  /** The name on the command line and in files. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The fitting a name {@link #fileName} gives. */
  public static LinkFitting fromFileName(String name) {
    for (LinkFitting f : values()) if (f.fileName().equals(name)) return f;
    throw new InputException("links are fitted always, varying or never, not '" + name + "'");
  }
}
