// Zone editor: clicks on the picture become points in 0..1 frame coordinates, handed to the Blazor page.
// The picture is the camera's snapshot; a camera just added has none yet, so it is retried until it loads.
export function attach(svg, page, img) {
    const retry = () => setTimeout(() => { img.src = img.src.replace(/([?&]t=)[^&]*/, "$1" + Date.now()); }, 2000);
    img.addEventListener("error", retry);
    if (img.complete && img.naturalWidth === 0) retry(); // failed before we were attached
    const onClick = (e) => {
        const r = svg.getBoundingClientRect();
        const x = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
        const y = Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
        page.invokeMethodAsync("AddPoint", Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000);
    };
    svg.addEventListener("click", onClick);
    return { dispose: () => { svg.removeEventListener("click", onClick); img.removeEventListener("error", retry); } };
}
