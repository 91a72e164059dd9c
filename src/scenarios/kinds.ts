/** Every scenario kind registers itself on import; add one line per kind. */
import './single-root.js';
import './plant.js';
import './profile-kinds.js';
import './mapping/mapping-kind.js';
import './pedon.js';
import './root-water-uptake.js';
import './coupled.js';
