package org.brainfm.volume;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.brainfm.DebianPython;

/**
 * nibabel as the test oracle: Debian's /usr/bin/python3 runs a small script over files and
 * answers one JSON object per file, keyed by file name.
 */
public final class Nibabel {

    /**
     * Modes: {@code stats} (header fields and voxel statistics, as inspect reports them),
     * {@code values} (header fields, raw codes and every voxel value, x fastest) and
     * {@code make DIR} (writes edge-case files nibabel can read into DIR, prints their names).
     * Shapes are normalised as brainfm does: trailing 1s past the third axis dropped, padded to 3.
     */
    private static final String SCRIPT = """
            import gzip, json, sys
            import numpy as np
            import nibabel as nib
            nib.imageglobals.logger.setLevel(40)

            def shape_of(img):
                s = list(img.shape)
                while len(s) > 3 and s[-1] == 1:
                    s.pop()
                return s + [1] * (3 - len(s))

            def header(f):
                img = nib.load(f)
                if not isinstance(img, (nib.Nifti1Image, nib.Nifti2Image)) or type(img).__name__.startswith('Cifti'):
                    raise ValueError('not a NIfTI volume: ' + type(img).__name__)
                shape = shape_of(img)
                zooms = [float(z) for z in img.header.get_zooms()] + [1.0] * 3
                out = {'file': f, 'format': 'nifti2' if isinstance(img, nib.Nifti2Image) else 'nifti1',
                       'shape': shape, 'datatype': img.get_data_dtype().name,
                       'spacing': zooms[:len(shape)], 'affine': img.affine.tolist(),
                       'orientation': ''.join(nib.aff2axcodes(img.affine))}
                return img, out

            def stats(f):
                img, out = header(f)
                d = img.get_fdata()
                out.update(min=float(np.nanmin(d)), max=float(np.nanmax(d)), mean=float(np.nanmean(d)),
                           nonzero=int(np.count_nonzero(d)))
                return out

            def values(f):
                img, out = header(f)
                out['qform'] = img.get_qform().tolist()
                out['values'] = img.get_fdata().ravel(order='F').tolist()
                return out

            def raw(path, data, dtype, endian='<', cls=nib.Nifti1Header, slope=None, inter=None, zooms=None,
                    qform=None, qcode=0, sform=None, scode=0, gz=False, qfac=None):
                h = cls(endianness=endian)
                h.set_data_dtype(dtype)
                h.set_data_shape(data.shape)
                if zooms is not None:
                    h.set_zooms(zooms)
                if qform is not None:
                    h.set_qform(qform, 1)
                if sform is not None:
                    h.set_sform(sform, 1)
                h['qform_code'], h['sform_code'] = qcode, scode
                if qfac is not None:
                    h['pixdim'][0] = qfac
                h['scl_slope'] = np.nan if slope is None else slope
                h['scl_inter'] = np.nan if inter is None else inter
                offset = 352 if cls is nib.Nifti1Header else 544
                h['vox_offset'] = offset
                block = h.binaryblock
                body = block + b'\\0' * (offset - len(block)) + data.astype(np.dtype(dtype).newbyteorder(endian)).tobytes(order='F')
                with (gzip.open if gz else open)(path, 'wb') as fh:
                    fh.write(body)
                return path

            def make(d):
                rng = np.random.default_rng(7)
                def oblique(flip=False, scale=(1.5, 2.0, 3.0)):
                    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
                    if (np.linalg.det(q) < 0) != flip:
                        q[:, 0] = -q[:, 0]
                    a = np.eye(4)
                    a[:3, :3] = q * np.array(scale)
                    a[:3, 3] = rng.uniform(-100, 100, 3)
                    return a
                ints = lambda lo, hi, shape: rng.integers(lo, hi, size=shape)
                files = [
                    raw(d + '/be_f8_scaled.nii', rng.normal(size=(6, 7, 5)) * 1e3, '>f8', '>', slope=2.5, inter=-3,
                        sform=oblique(), scode=2, qform=oblique(), qcode=1),
                    raw(d + '/le_i8_qform.nii.gz', ints(-128, 128, (6, 7, 5)), 'i1', qform=oblique(flip=True),
                        qcode=1, zooms=(1.5, 2.0, 3.0), gz=True),
                    raw(d + '/be_u16_scaled.nii', ints(0, 65536, (5, 6, 4)), '>u2', '>', slope=0.5, inter=10,
                        sform=oblique(), scode=4),
                    raw(d + '/i32_big.nii.gz', ints(-2**31, 2**31, (5, 4, 3)), 'i4', sform=oblique(), scode=1, gz=True),
                    raw(d + '/i32_scaled.nii', ints(-2**31, 2**31, (5, 4, 3)), 'i4', slope=1e-3, inter=1,
                        qform=oblique(), qcode=2),
                    raw(d + '/no_codes.nii', ints(0, 256, (5, 6, 7)), 'u1', zooms=(1.5, 2.0, 3.0)),
                    raw(d + '/n2_be_f4_4d.nii.gz', rng.normal(size=(4, 5, 3, 3)).astype('f4'), '>f4', '>',
                        cls=nib.Nifti2Header, sform=oblique(), scode=1, qform=oblique(), qcode=1, gz=True),
                    raw(d + '/n2_le_i16_scaled.nii', ints(-300, 300, (4, 5, 3)), 'i2', cls=nib.Nifti2Header,
                        slope=0.25, inter=-1, qform=oblique(flip=True), qcode=1),
                    raw(d + '/dim5_ones.nii', ints(0, 256, (5, 4, 3, 1, 1)), 'u1', qform=oblique(), qcode=1),
                    raw(d + '/dim4_one.nii', ints(0, 256, (5, 4, 3, 1)), 'u1', sform=oblique(), scode=1),
                    raw(d + '/two_d.nii', ints(0, 256, (6, 5)), 'u1', zooms=(2.0, 3.0)),
                    raw(d + '/slope_zero.nii', ints(0, 256, (4, 4, 4)), 'u1', slope=0, inter=7, sform=oblique(), scode=1),
                    raw(d + '/nan_float.nii', np.where(ints(0, 4, (4, 4, 4)) == 0, np.nan, rng.normal(size=(4, 4, 4))),
                        'f4', sform=oblique(), scode=1),
                    raw(d + '/bad_sform_code.nii', ints(0, 256, (4, 5, 6)), 'u1', sform=oblique(), scode=9,
                        qform=oblique(), qcode=1),
                    raw(d + '/odd_qfac.nii', ints(0, 256, (4, 5, 6)), 'u1', qform=oblique(flip=True), qcode=1, qfac=0),
                    raw(d + '/neg_zero_pixdim.nii', ints(0, 256, (4, 5, 6)), 'u1', qform=oblique(), qcode=1),
                ]
                h = bytearray(open(files[-1], 'rb').read())
                h[80:84] = np.array([-2.5], '<f4').tobytes()
                h[84:88] = np.array([0.0], '<f4').tobytes()
                open(files[-1], 'wb').write(bytes(h))
                for f in files:
                    print(json.dumps({'file': f}))

            mode, args = sys.argv[1], sys.argv[2:]
            if mode == 'make':
                make(args[0])
            else:
                for f in args:
                    try:
                        out = stats(f) if mode == 'stats' else values(f)
                    except Exception as e:
                        out = {'file': f, 'error': '%s: %s' % (type(e).__name__, e)}
                    print(json.dumps(out), flush=True)
            """;

    /** Python's json writes NaN for NaN voxels. */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Nibabel() {}

    /** Runs the script in {@code mode} over {@code args}; answers by file name, in order. */
    public static Map<String, JsonNode> run(String mode, List<String> args) {
        List<String> command = new ArrayList<>(List.of("-c", SCRIPT, mode));
        command.addAll(args);
        String out = DebianPython.run(Path.of("."), 120, command);
        Map<String, JsonNode> byFile = new LinkedHashMap<>();
        try {
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = MAPPER.readTree(line);
                    byFile.put(node.get("file").asText(), node);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the nibabel oracle wrote a line that is not JSON: " + e.getMessage(), e);
        }
        return byFile;
    }
}
