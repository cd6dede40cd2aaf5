package dev.vigil.models.training;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes trained {@link MlpTrainer.Layer}s as an ONNX graph: {@code Gemm} (with {@code transB}) and
 * {@code Relu} per hidden layer, an optional {@code Sigmoid} at the end. Input {@value #INPUT}
 * {@code [N, in]} float, output {@value #OUTPUT} {@code [N, out]} float; opset 17, IR version 8,
 * which ONNX Runtime 1.21 reads. The same layers give byte-identical files.
 */
public final class OnnxWriter {

    public static final String INPUT = "features";
    public static final String OUTPUT = "output";

    private OnnxWriter() {}

    public static byte[] write(
            String graphName, String version, List<MlpTrainer.Layer> layers, boolean sigmoid) {
        GraphProto.Builder graph = GraphProto.newBuilder().setName(graphName);
        graph.addInput(value(INPUT, layers.get(0).in()));
        String x = INPUT;
        for (int l = 0; l < layers.size(); l++) {
            MlpTrainer.Layer layer = layers.get(l);
            String w = "layer" + l + ".weight";
            String b = "layer" + l + ".bias";
            graph.addInitializer(tensor(w, layer.weight(), layer.out(), layer.in()));
            graph.addInitializer(tensor(b, layer.bias(), layer.out()));
            boolean last = l == layers.size() - 1;
            String gemm = last && !sigmoid ? OUTPUT : "layer" + l + ".linear";
            graph.addNode(
                    NodeProto.newBuilder()
                            .setName("layer" + l + ".gemm")
                            .setOpType("Gemm")
                            .addInput(x)
                            .addInput(w)
                            .addInput(b)
                            .addOutput(gemm)
                            .addAttribute(
                                    AttributeProto.newBuilder()
                                            .setName("transB")
                                            .setType(AttributeProto.AttributeType.INT)
                                            .setI(1)));
            x = gemm;
            if (!last) {
                String relu = "layer" + l + ".relu";
                graph.addNode(
                        NodeProto.newBuilder()
                                .setName(relu)
                                .setOpType("Relu")
                                .addInput(x)
                                .addOutput(relu));
                x = relu;
            } else if (sigmoid) {
                graph.addNode(
                        NodeProto.newBuilder()
                                .setName("probability")
                                .setOpType("Sigmoid")
                                .addInput(x)
                                .addOutput(OUTPUT));
            }
        }
        graph.addOutput(value(OUTPUT, layers.get(layers.size() - 1).out()));
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("vigil-model-training")
                .setProducerVersion(version)
                .setModelVersion(1)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static ValueInfoProto value(String name, int width) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                        TypeProto.newBuilder()
                                .setTensorType(
                                        TypeProto.Tensor.newBuilder()
                                                .setElemType(TensorProto.DataType.FLOAT.getNumber())
                                                .setShape(
                                                        TensorShapeProto.newBuilder()
                                                                .addDim(
                                                                        TensorShapeProto.Dimension
                                                                                .newBuilder()
                                                                                .setDimParam("N"))
                                                                .addDim(
                                                                        TensorShapeProto.Dimension
                                                                                .newBuilder()
                                                                                .setDimValue(
                                                                                        width)))))
                .build();
    }

    private static TensorProto tensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        TensorProto.Builder t =
                TensorProto.newBuilder()
                        .setName(name)
                        .setDataType(TensorProto.DataType.FLOAT.getNumber())
                        .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}
