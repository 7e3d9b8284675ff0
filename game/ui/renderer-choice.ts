/**
 * Which Phaser renderer to start. WebGL is the better choice on a real GPU; but where WebGL is
 * emulated on the CPU (SwiftShader, llvmpipe — headless Chromium, CI boxes, machines without a
 * driver), every WebGL frame is rasterised in software and then read back for the page's
 * compositor, which costs 50–200 ms a frame even when nothing moves. Phaser's Canvas renderer
 * draws the same scene in a few milliseconds there, so the game picks it when WebGL says it is
 * software. `?renderer=webgl` or `?renderer=canvas` in the address overrides the choice.
 */

/** True when a WebGL renderer name (UNMASKED_RENDERER_WEBGL) describes a CPU rasteriser. */
export function isSoftwareRenderer(name: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(name);
}

/** The renderer name WebGL reports in this browser, or null without WebGL. */
function webglRendererName(): string | null {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = info
      ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL))
      : String(gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

/** 'canvas' when WebGL is missing or software, else 'webgl'; the address may force either. */
export function chooseRenderer(search: string): 'canvas' | 'webgl' {
  const forced = new URLSearchParams(search).get('renderer');
  if (forced === 'canvas' || forced === 'webgl') return forced;
  const name = webglRendererName();
  return name === null || isSoftwareRenderer(name) ? 'canvas' : 'webgl';
}
