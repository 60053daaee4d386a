// Zone editor: clicks on the picture become points in 0..1 frame coordinates, handed to the Blazor page.
export function attach(svg, page) {
    const onClick = (e) => {
        const r = svg.getBoundingClientRect();
        const x = Math.min(1, Math.max(0, (e.clientX - r.left) / r.width));
        const y = Math.min(1, Math.max(0, (e.clientY - r.top) / r.height));
        page.invokeMethodAsync("AddPoint", Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000);
    };
    svg.addEventListener("click", onClick);
    return { dispose: () => svg.removeEventListener("click", onClick) };
}
