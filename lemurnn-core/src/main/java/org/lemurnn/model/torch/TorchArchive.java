package org.lemurnn.model.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.lemurnn.InputException;
import org.lemurnn.io.InputFiles;
import org.lemurnn.model.Tensor;

/**
 * A PyTorch zip's entries that matter: the pickle, the storages, the TorchScript code; and the
 * tensors gathered from the storages, every size and index checked (a model file is untrusted
 * input).
 */
record TorchArchive(Path file, byte[] pickle, Map<String, byte[]> storages, String code) {
  static TorchArchive read(Path file) {
    try (ZipFile zip =
        new ZipFile(InputFiles.regularFile(file, "a PyTorch model file").toFile())) {
      byte[] pickle = null;
      Map<String, byte[]> storages = new LinkedHashMap<>();
      StringBuilder code = new StringBuilder();
      for (ZipEntry e : Collections.list(zip.entries())) {
        String name = e.getName();
        int slash = name.indexOf('/');
        String inner =
            slash < 0 ? name : name.substring(slash + 1); // entries sit under one top folder
        if (inner.equals("data.pkl")) pickle = bytes(file, zip, e);
        else if (inner.startsWith("data/")) storages.put(inner.substring(5), bytes(file, zip, e));
        else if (inner.startsWith("code/") && inner.endsWith(".py")) {
          code.append(new String(bytes(file, zip, e), StandardCharsets.UTF_8)).append('\n');
        }
      }
      if (pickle == null)
        throw InputException.in(file, "is a zip without data.pkl: not a PyTorch model file");
      return new TorchArchive(file, pickle, storages, code.toString());
    } catch (IOException e) {
      throw InputException.in(
          file, "is not a readable PyTorch zip archive (" + e.getMessage() + ")");
    }
  }

  private static byte[] bytes(Path file, ZipFile zip, ZipEntry e) throws IOException {
    if (e.getSize() > TorchFile.MAX_ENTRY_BYTES) {
      throw InputException.in(
          file,
          "entry " + e.getName() + " claims " + e.getSize() + " bytes: too large for a link model");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes((int) TorchFile.MAX_ENTRY_BYTES + 1);
      if (b.length > TorchFile.MAX_ENTRY_BYTES)
        throw InputException.in(file, "entry " + e.getName() + " is too large for a link model");
      return b;
    }
  }

  /** Gathers a tensor's values from its storage through offset and strides, bounds checked. */
  Tensor tensor(String name, Pickle.TensorRef ref) {
    String where = "tensor " + name;
    if (!ref.storage().dtype().equals("FloatStorage")) {
      throw InputException.in(
          file, where + " is " + ref.storage().dtype() + "; only float32 models can be imported");
    }
    byte[] raw = storages.get(ref.storage().key());
    if (raw == null)
      throw InputException.in(
          file, where + " refers to missing storage data/" + ref.storage().key());
    long available = raw.length / 4;
    long count = 1, last = ref.offset();
    if (ref.shape().length != ref.stride().length || ref.offset() < 0) {
      throw InputException.in(file, where + " has a bad layout");
    }
    for (int d = 0; d < ref.shape().length; d++) {
      long size = ref.shape()[d], stride = ref.stride()[d];
      if (size < 0 || stride < 0 || size > TorchFile.MAX_TENSOR_ELEMENTS)
        throw InputException.in(file, where + " has a bad shape");
      count *= size;
      if (count > TorchFile.MAX_TENSOR_ELEMENTS)
        throw InputException.in(file, where + " is too large for a link model");
      if (size > 0) last += (size - 1) * stride;
    }
    if (count > 0 && last >= available) {
      throw InputException.in(
          file, where + " reaches element " + last + " of a storage of " + available);
    }
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int rank = ref.shape().length;
    float[] data = new float[(int) count];
    long[] index = new long[rank];
    for (int i = 0; i < data.length; i++) {
      long at = ref.offset();
      for (int d = 0; d < rank; d++) at += index[d] * ref.stride()[d];
      data[i] = buf.getFloat((int) (4 * at));
      for (int d = rank - 1; d >= 0 && ++index[d] == ref.shape()[d]; d--) index[d] = 0;
    }
    int[] shape = new int[rank];
    for (int d = 0; d < rank; d++) shape[d] = (int) ref.shape()[d];
    return new Tensor(shape, data);
  }
}
