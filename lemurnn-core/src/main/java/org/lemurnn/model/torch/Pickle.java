package org.lemurnn.model.torch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted reader of the pickles PyTorch writes for state dicts and TorchScript modules
 * (protocol 2, and the few protocol 4 framing opcodes). It builds plain data (maps, lists, strings,
 * numbers) and never calls anything: the only globals it accepts are the handful a state dict
 * needs, each mapped to a fixed Java meaning; any other global is refused. Python's own pickle
 * would run arbitrary code from a hostile file, and no Java library reads torch pickles without
 * libtorch.
 */
final class Pickle {
  /** A storage the pickle refers to by persistent id: zip entry {@code data/<key>}. */
  record StorageRef(String key, String dtype, long elements) {}

  /** A tensor view of a storage, as {@code torch._utils._rebuild_tensor_v2} describes it. */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

  /** A TorchScript module object: its class name and attributes (submodules and parameters). */
  record ScriptObject(String className, Map<Object, Object> attributes) {}

  /** A global the reader accepted, waiting to be applied. */
  private record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  private static final Object MARK = new Object();
  private static final Set<String> STORAGES = Set.of(
      "FloatStorage",
      "DoubleStorage",
      "HalfStorage",
      "BFloat16Storage",
      "LongStorage",
      "IntStorage",
      "ShortStorage",
      "CharStorage",
      "ByteStorage",
      "BoolStorage");

  private final ByteBuffer in;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Integer, Object> memo = new HashMap<>();

  private Pickle(byte[] bytes) {
    this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Reads one pickle; throws {@link PickleException} for anything it does not accept. */
  static Object read(byte[] bytes) {
    try {
      return new Pickle(bytes).run();
    } catch (BufferUnderflowException e) {
      throw new PickleException("pickle ends early (truncated file?)");
    } catch (ClassCastException | IndexOutOfBoundsException | NullPointerException e) {
      // a value of the wrong type where the format wants another (a None for a number, say)
      throw new PickleException("malformed pickle (" + e.getMessage() + ")");
    }
  }

  private Object run() {
    while (true) {
      int at = in.position();
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> in.get(); // PROTO
        case 0x95 -> in.getLong(); // FRAME
        case '.' -> {
          if (stack.size() != 1)
            throw new PickleException("malformed pickle: " + stack.size() + " values at STOP");
          return stack.get(0);
        }
        case '(' -> stack.add(MARK);
        case '}' -> stack.add(new LinkedHashMap<>());
        case ']' -> stack.add(new ArrayList<>());
        case ')' -> stack.add(List.of());
        case 'N' -> stack.add(null);
        case 0x88 -> stack.add(Boolean.TRUE);
        case 0x89 -> stack.add(Boolean.FALSE);
        case 'K' -> stack.add((long) (in.get() & 0xff));
        case 'M' -> stack.add((long) (in.getShort() & 0xffff));
        case 'J' -> stack.add((long) in.getInt());
        case 0x8a -> stack.add(long1(in.get() & 0xff));
        case 'G' ->
          stack.add(
              Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
        case 'X' -> stack.add(utf8(length(in.getInt())));
        case 0x8c -> stack.add(utf8(length(in.get() & 0xff)));
        case 'C' -> stack.add(bytes(length(in.get() & 0xff)));
        case 'B' -> stack.add(bytes(length(in.getInt())));
        case 'q' -> memo.put(in.get() & 0xff, top());
        case 'r' -> memo.put(memoIndex(in.getInt()), top());
        case 0x94 -> memo.put(memo.size(), top());
        case 'h' -> stack.add(memoGet(in.get() & 0xff));
        case 'j' -> stack.add(memoGet(in.getInt()));
        case 't' -> stack.add(Collections.unmodifiableList(popMark()));
        case 0x85 -> stack.add(tuple(1));
        case 0x86 -> stack.add(tuple(2));
        case 0x87 -> stack.add(tuple(3));
        case 'c' -> stack.add(global(line(), line()));
        case 0x93 -> { // STACK_GLOBAL (protocol 4)
          Object name = pop(), module = pop();
          stack.add(global((String) module, (String) name));
        }
        case 'Q' -> stack.add(persistent(pop()));
        case 'R' -> {
          Object args = pop(), callable = pop();
          stack.add(reduce(callable, (List<?>) args));
        }
        case 0x81 -> {
          Object args = pop(), cls = pop();
          stack.add(newObject(cls, (List<?>) args));
        }
        case 'b' -> {
          Object state = pop();
          Object target = top();
          if (target instanceof ScriptObject o && state instanceof Map<?, ?> m) {
            m.forEach(o.attributes()::put);
          } else if (!(target instanceof Map<?, ?> && state instanceof Map<?, ?>)) {
            // a state dict's OrderedDict gets its _metadata (module versions) this way: not needed
            throw new PickleException(
                "BUILD is only accepted on TorchScript modules and dicts, with a dict state");
          }
        }
        case 's' -> {
          Object value = pop(), key = pop();
          map(top()).put(key, value);
        }
        case 'u' -> {
          List<Object> items = popMark();
          Map<Object, Object> m = map(top());
          for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
        }
        case 'a' -> {
          Object value = pop();
          list(top()).add(value);
        }
        case 'e' -> {
          List<Object> items = popMark();
          list(top()).addAll(items);
        }
        default ->
          throw new PickleException(String.format(
              "unsupported pickle opcode 0x%02x at byte %d: not a PyTorch state dict or TorchScript module",
              op, at));
      }
    }
  }

  private Object global(String module, String name) {
    boolean accepted = switch (module) {
      case "collections" -> name.equals("OrderedDict");
      case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter");
      case "torch" -> STORAGES.contains(name);
      default -> module.startsWith("__torch__.") || module.equals("__torch__");
    };
    if (!accepted) {
      throw new PickleException(
          "refuses pickle global '" + module + "." + name
              + "': a model file needs only tensors, storages and ordered dicts (is it really a PyTorch model?)");
    }
    return new Global(module, name);
  }

  private Object persistent(Object id) {
    // torch: ('storage', <storage type>, key, location, number of elements)
    if (id instanceof List<?> t
        && t.size() == 5
        && "storage".equals(t.get(0))
        && t.get(1) instanceof Global type
        && type.module().equals("torch")) {
      return new StorageRef(String.valueOf(t.get(2)), type.name(), (Long) t.get(4));
    }
    throw new PickleException(
        "unexpected persistent id " + id + ": only torch storages are accepted");
  }

  private Object reduce(Object callable, List<?> args) {
    if (!(callable instanceof Global g))
      throw new PickleException("REDUCE on a non-global " + callable);
    return switch (g.qualified()) {
      case "collections.OrderedDict" -> {
        if (!args.isEmpty()) throw new PickleException("OrderedDict with arguments");
        yield new LinkedHashMap<>();
      }
      case "torch._utils._rebuild_tensor_v2" -> {
        if (args.size() < 4 || !(args.get(0) instanceof StorageRef s)) {
          throw new PickleException("_rebuild_tensor_v2 without a storage");
        }
        yield new TensorRef(s, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
      }
      case "torch._utils._rebuild_parameter" -> {
        if (args.isEmpty() || !(args.get(0) instanceof TensorRef t))
          throw new PickleException("_rebuild_parameter without a tensor");
        yield t;
      }
      default -> throw new PickleException("refuses to call '" + g.qualified() + "'");
    };
  }

  private Object newObject(Object cls, List<?> args) {
    if (cls instanceof Global g && g.module().startsWith("__torch__") && args.isEmpty()) {
      return new ScriptObject(g.qualified(), new LinkedHashMap<>());
    }
    throw new PickleException("refuses to create an object of " + cls);
  }

  private static long[] longs(Object tuple) {
    List<?> list = (List<?>) tuple;
    long[] r = new long[list.size()];
    for (int i = 0; i < r.length; i++) r[i] = (Long) list.get(i);
    return r;
  }

  private long long1(int n) {
    if (n > 8)
      throw new PickleException("integer of " + n + " bytes is too large for a model file");
    long v = 0;
    for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
    if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v -= 1L << (8 * n); // two's complement
    return v;
  }

  private int length(long n) {
    if (n < 0 || n > in.remaining()) {
      throw new PickleException(
          "length " + n + " at byte " + in.position() + " runs past the end of the pickle");
    }
    return (int) n;
  }

  private String utf8(int n) {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private String line() {
    StringBuilder sb = new StringBuilder();
    for (byte b; (b = in.get()) != '\n'; ) {
      if (sb.length() > 256) throw new PickleException("global name too long");
      sb.append((char) b);
    }
    return sb.toString();
  }

  private static int memoIndex(int index) {
    if (index < 0 || index > 1 << 20)
      throw new PickleException("memo index " + index + " out of range");
    return index;
  }

  private Object memoGet(int index) {
    if (!memo.containsKey(index))
      throw new PickleException("pickle refers to unknown memo entry " + index);
    return memo.get(index);
  }

  private List<Object> tuple(int n) {
    List<Object> t = new ArrayList<>(n);
    for (int i = 0; i < n; i++) t.add(0, pop());
    return Collections.unmodifiableList(t);
  }

  private List<Object> popMark() {
    int mark = stack.lastIndexOf(MARK);
    if (mark < 0) throw new PickleException("malformed pickle: no MARK");
    List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }

  private Object pop() {
    if (stack.isEmpty()) throw new PickleException("malformed pickle: stack underflow");
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) throw new PickleException("malformed pickle: unexpected MARK");
    return o;
  }

  private Object top() {
    if (stack.isEmpty()) throw new PickleException("malformed pickle: empty stack");
    return stack.get(stack.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object o) {
    if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
    throw new PickleException(
        "SETITEM on a " + (o == null ? "None" : o.getClass().getSimpleName()));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    if (o instanceof ArrayList<?> l) return (List<Object>) l;
    throw new PickleException(
        "APPEND on a " + (o == null ? "None" : o.getClass().getSimpleName()));
  }

  /** What the reader refuses; {@link TorchFile} adds the file name. */
  static final class PickleException extends RuntimeException {
    PickleException(String message) {
      super(message);
    }
  }
}
