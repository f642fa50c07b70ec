export type { ImageFormat, ImageRecipe } from './types.js';
export { validImageRecipe, renderImage, describeImage } from './valid-image.js';
export { formatOfMediaType, mediaTypesByFormat, sniffImageFormat } from './media-types.js';
export { pngRecipe, PNG_COLOURS } from './png.js';
export { jpegRecipe, JPEG_MODES } from './jpeg.js';
export { gifRecipe, GIF_FAMILIES } from './gif.js';
export { tiffRecipe, TIFF_COMPRESSIONS } from './tiff.js';
