<?php
// Sample bootstrap file; a real Laravel application configures itself here.
return [];
